import ArgumentParser
import Foundation
import ModelCompiler
import ModelRunner

/// `sqlt debug`: where the project, profile, target and connection come from; connects and prints
/// the server version.
struct DebugCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug", abstract: "Show the resolved project, profile, target and connection, and test the connection.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let root = global.projectURL
        do {
            let session = try ProjectSession.open(global)
            Console.print("sqlt version: \(SqltVersion.current)")
            Console.print("project folder: \(session.root.path)")
            Console.print("project file: \(session.project.file) (project '\(session.project.name)')")
            let resolved = try session.resolveConnection()
            Console.print("profile: \(resolved.profileName ?? "(none)")")
            Console.print("target: \(resolved.targetName ?? "(none)")")
            Console.print("connection from: \(resolved.origin)")
            let settings = try session.connect(resolved)
            Console.print("connection: \(settings.maskedDescription)")
            Console.print("schema: \(settings.schema)")
            let connection = try PostgresConnection(settings: settings)
            Console.print("server version: \(connection.serverVersion)")
            Console.print(Console.colorize("All checks passed!", .green))
        } catch {
            throw ErrorReporting.exitCode(for: error, projectRoot: root)
        }
    }
}
