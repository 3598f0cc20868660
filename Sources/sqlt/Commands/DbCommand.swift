import ArgumentParser
import Foundation
import ModelRunner

/// `sqlt db start|stop|status|url`: the project's embedded PostgreSQL by hand.
struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Manage the project's embedded PostgreSQL (.sqlt/postgres/).",
        subcommands: [Start.self, Stop.self, Status.self, URLCommand.self])

    struct Options: ParsableArguments {
        @Option(name: .customLong("project-dir"), help: "The project folder (default: the current folder).")
        var projectDir: String?

        var server: EmbeddedPostgres {
            let cwd = FileManager.default.currentDirectoryPath
            let path = projectDir.map { $0.hasPrefix("/") ? $0 : cwd + "/" + $0 } ?? cwd
            return EmbeddedPostgres(projectDir: URL(fileURLWithPath: path).standardizedFileURL.path)
        }
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start the embedded PostgreSQL (initialising it the first time).")
        @OptionGroup var options: Options
        func run() throws {
            do {
                let settings = try options.server.start()
                Console.print("embedded PostgreSQL running: \(settings.url())")
            } catch {
                throw ErrorReporting.exitCode(for: error, projectRoot: nil)
            }
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded PostgreSQL.")
        @OptionGroup var options: Options
        func run() throws {
            do {
                try options.server.stop()
                Console.print("embedded PostgreSQL stopped")
            } catch {
                throw ErrorReporting.exitCode(for: error, projectRoot: nil)
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Say whether the embedded PostgreSQL runs (exit 0) or not (exit 3).")
        @OptionGroup var options: Options
        func run() throws {
            let server = options.server
            do {
                switch try server.status() {
                case .running(let pid):
                    Console.print("running (pid \(pid)) at \(server.folder), socket \(server.socketDir)")
                case .stopped:
                    Console.print("stopped (\(server.folder))")
                    throw ExitCode(3)
                case .notInitialized:
                    Console.print("not initialised (\(server.folder)); `sqlt db start` or any command that needs the database starts it")
                    throw ExitCode(3)
                }
            } catch {
                throw ErrorReporting.exitCode(for: error, projectRoot: nil)
            }
        }
    }

    struct URLCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "url", abstract: "Print the embedded PostgreSQL's connection URL.")
        @OptionGroup var options: Options
        func run() throws { Console.print(options.server.url) }
    }
}
