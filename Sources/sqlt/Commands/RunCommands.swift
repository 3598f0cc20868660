import ArgumentParser
import Foundation
import ModelCompiler
import ModelRunner

/// `sqlt run`: builds the selected models.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Build the selected models in dependency order.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: SelectionOptions
    @OptionGroup var flags: RunFlags
    func run() throws { try RunInvocation.execute(.run, global: global, selection: selection, flags: flags) }
}

/// `sqlt seed`: loads the CSV files of seed paths with COPY.
struct SeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed", abstract: "Load the seed files (CSV and .xlsx) with COPY, each swapped in atomically.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: SelectionOptions
    @OptionGroup var flags: RunFlags
    func run() throws { try RunInvocation.execute(.seed, global: global, selection: selection, flags: flags) }
}

/// `sqlt test`: runs the selected data tests and unit tests.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Run the selected data tests and unit tests.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: SelectionOptions
    @OptionGroup var flags: RunFlags
    func run() throws { try RunInvocation.execute(.test, global: global, selection: selection, flags: flags) }
}

/// `sqlt build`: seeds, models and tests in dependency order; a failing test skips its descendants.
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build", abstract: "Load seeds, build models and run their tests in dependency order.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: SelectionOptions
    @OptionGroup var flags: RunFlags
    @Option(
        name: .customLong("exclude-resource-type"), parsing: .upToNextOption,
        help: "Leave out these resource types (seed, test, unit_test, model).")
    var excludeResourceTypes: [String] = []
    @Option(name: .customLong("resource-type"), parsing: .upToNextOption, help: "Only these resource types.")
    var resourceTypes: [String] = []

    func run() throws {
        var types = RunKind.build.resourceTypes
        if !resourceTypes.isEmpty { types = types.intersection(try resourceTypes.map(Self.type)) }
        types.subtract(try excludeResourceTypes.map(Self.type))
        try RunInvocation.execute(.build, global: global, selection: selection, flags: flags, types: types)
    }

    static func type(_ name: String) throws -> ResourceType {
        guard let type = ResourceType(rawValue: name) else { throw ValidationError("unknown resource type '\(name)'") }
        return type
    }
}

/// `sqlt retry`: runs again what failed or was skipped last time, from `target/run_results.json`.
struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Run again the nodes that failed or were skipped in the last invocation.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var flags: RunFlags

    func run() throws {
        let session = try ProjectSession.open(global)
        let url = ArtifactPaths.runResultsURL(targetPath: session.targetDir)
        let previous: RunResultsFile
        do {
            previous = try RunResultsFile.read(from: url)
        } catch {
            throw CommandFailure.error("no previous run to retry: cannot read \(url.path)", exitCode: 2)
        }
        let again = previous.retryIds
        if again.isEmpty {
            Console.print("Nothing to retry: the last run had no failures or skips.")
            return
        }
        try RunInvocation.execute(
            .retry, global: global, selection: try SelectionOptions.parse([]), flags: flags, restrictTo: again)
    }
}
