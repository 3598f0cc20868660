import ArgumentParser
import Foundation
import ModelRunner

/// `sqlt db start|stop|status|url`: the project's embedded PostgreSQL server.
struct DbCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Manage the project's embedded PostgreSQL server (in .sqlt/postgres).",
        subcommands: [Start.self, Stop.self, Status.self, URLCommand.self])

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start the embedded server (creating it if needed).")
        @OptionGroup var global: GlobalOptions

        @Option(help: "The port (TCP with --tcp; always the suffix of the socket file name).")
        var port: Int = 5432

        @Flag(help: "Also listen on TCP at localhost (by default only a unix socket).")
        var tcp = false

        func run() async throws {
            let server = EmbeddedPostgres(projectDir: global.projectURL.path, port: port, listenTCP: tcp)
            do {
                let settings = try server.start()
                print("embedded PostgreSQL running: \(settings.url())")
                if server.usesShortSocketFolder {
                    print(
                        "the socket folder is \(server.socketFolder) because the project path is too long for a unix socket"
                    )
                }
            } catch {
                throw DbCommand.failure(error)
            }
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded server.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            do {
                let wasRunning = try EmbeddedPostgres(projectDir: global.projectURL.path).stop()
                print(wasRunning ? "embedded PostgreSQL stopped" : "embedded PostgreSQL was not running")
            } catch {
                throw DbCommand.failure(error)
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show whether the embedded server runs (exit 0 when running, 3 when stopped, like pg_ctl).")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let status = EmbeddedPostgres(projectDir: global.projectURL.path).status()
            print(status.description)
            if !status.isRunning { throw ExitCode(3) }
        }
    }

    struct URLCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "url", abstract: "Print the embedded server's postgresql:// URL.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            print(EmbeddedPostgres(projectDir: global.projectURL.path).url)
        }
    }

    /// The embedded server's error as the command's failure: `error: ...`, exit 1.
    static func failure(_ error: any Error) -> CommandFailure {
        CommandFailure.error("\(error)", exitCode: 1)
    }
}
