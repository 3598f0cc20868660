import ArgumentParser
import Foundation
import ModelCompiler
import ModelRunner

/// `sqlt clean`: deletes the project's `clean-targets`, refusing any path outside the project.
struct CleanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean", abstract: "Delete the folders of clean-targets (refusing paths outside the project).")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let session = try ProjectSession.open(global)
        let project = session.project
        var location = project.cleanTargetsLocation
        if location != nil { location?.file = project.file }
        let outcome = try ProjectCleaner.clean(
            targets: project.cleanTargets, projectRoot: session.root, declaredAt: location)
        for target in outcome.removed { Console.print("Cleaned \(target)/") }
        for target in outcome.missing { Console.print("Nothing to clean in \(target)/ (absent)") }
        Console.print("Finished cleaning all paths.")
    }
}

/// `sqlt init [name]`: a new project folder whose profile targets the embedded PostgreSQL.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a new project folder, ready for sqlt build on the embedded PostgreSQL.")

    @Argument(help: "The project name (and folder); default my_project.") var name: String = "my_project"
    @Flag(
        name: [.customShort("s"), .customLong("skip-profile-setup")],
        help: "Write no profiles.yml (use an existing profile).")
    var skipProfileSetup = false
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let folder = URL(
            fileURLWithPath: name, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        ).standardizedFileURL
        try ProjectScaffold.create(name: folder.lastPathComponent, in: folder)
        if skipProfileSetup {
            try FileManager.default.removeItem(at: folder.appendingPathComponent("profiles.yml"))
        }
        Console.print("Created project '\(folder.lastPathComponent)' in \(folder.path)")
        Console.print("Next: cd \(name) && sqlt build   (the embedded PostgreSQL starts on first use)")
    }
}
