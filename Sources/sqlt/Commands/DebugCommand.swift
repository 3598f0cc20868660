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
        } catch {
            // a bad project or profile ends `debug` with 1 (other commands: 2), reported as usual
            throw ExitingWith(error, exitCode: 1)
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
            throw CommandFailure.error(error.message, exitCode: 1)
        }
    }
}
