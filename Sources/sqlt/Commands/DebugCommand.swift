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
            let profileName = try ProjectProfileName.read(projectDir: projectDir)
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
        } catch let diagnostic as Diagnostic {
            FileHandle.standardError.write(Data("\(diagnostic)\n".utf8))
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

/// The `profile:` key of `sqlt_project.yml` (or `dbt_project.yml`).
enum ProjectProfileName {
    static func read(projectDir: String) throws -> String? {
        for name in ["sqlt_project.yml", "dbt_project.yml"] {
            let path = projectDir + "/" + name
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            return try YAMLNode.parse(text, file: path, scalars: .text)["profile"]?.string
        }
        return nil
    }
}

extension GlobalOptions {
    /// The connection options of these flags; `--profiles-dir` is taken from the current folder.
    func connectionOptions(profileName: String?) -> ConnectionOptions {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        return ConnectionOptions(
            databaseURL: databaseURL,
            profilesDir: profilesDir.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL.path },
            target: targetName, profileName: self.profileName ?? profileName, projectDir: projectURL.path)
    }
}
