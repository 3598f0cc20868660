import ArgumentParser
import Foundation
import ModelCompiler
import ModelRunner

/// `sqlt debug`: shows the project, profile, target and connection, then connects.
struct DebugCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug",
        abstract: "Show the resolved project, profile and connection, and test the connection.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let projectDir = global.projectURL.path
        print("project folder: \(projectDir)")
        let settings: ConnectionSettings
        do {
            let fs = DiskFileSystem(root: global.projectURL)
            let profileName = ProjectConfig.locate(in: fs) == nil ? nil : try ProjectConfig.load(from: fs).profile
            let resolution = try ConnectionResolver.live.resolve(global.connectionOptions(profileName: profileName))
            print("profile: \(resolution.profileName ?? "(none)")")
            print("target: \(resolution.targetName ?? "(none)")")
            switch resolution.connection {
            case .settings(let resolved):
                settings = resolved
            case .embedded:
                print("starting the embedded PostgreSQL of the project")
                settings = try EmbeddedPostgres(projectDir: projectDir).start()
            }
        } catch let diagnostics as DiagnosticsError {
            ErrorReporting.printDiagnostics(diagnostics.diagnostics, projectRoot: global.projectURL)
            throw ExitCode.failure
        } catch let diagnostic as Diagnostic {
            ErrorReporting.printDiagnostics([diagnostic], projectRoot: global.projectURL)
            throw ExitCode.failure
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        print("connection: \(settings.maskedDescription)")
        print("from: \(settings.origin)")
        print("schema: \(settings.schema)")
        do {
            let connection = try PostgresConnection(settings: settings)
            defer { connection.close() }
            print("server version: \(connection.serverVersion)")
            print("connection ok")
        } catch {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode.failure
        }
    }
}
