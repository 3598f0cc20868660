import ArgumentParser
import Foundation
import ModelRunner

/// Options every command that touches a project accepts.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("project-dir"), help: "The project folder (default: the current folder).")
    var projectDir: String?

    @Option(name: .customLong("profiles-dir"), help: "Folder holding profiles.yml.")
    var profilesDir: String?

    @Option(name: .customLong("target"), help: "The profile target to use.")
    var target: String?

    @Option(name: .customLong("vars"), help: "Project variables as YAML or JSON text.")
    var vars: String?

    @Option(name: .customLong("threads"), help: "How many models to build at once.")
    var threads: Int?

    @Option(name: .customLong("database-url"), help: "A postgresql:// URL; overrides every profile.")
    var databaseURL: String?

    /// The absolute project folder.
    var projectURL: URL {
        let path = projectDir ?? FileManager.default.currentDirectoryPath
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
    }
}

extension GlobalOptions {
    /// The connection options of these flags. A relative `--profiles-dir` is taken from the current
    /// folder, as dbt takes it, for every command alike.
    func connectionOptions(profileName: String?) -> ConnectionOptions {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        return ConnectionOptions(
            databaseURL: databaseURL,
            profilesDir: profilesDir.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL.path },
            target: target, profileName: profileName, projectDir: projectURL.path)
    }
}
