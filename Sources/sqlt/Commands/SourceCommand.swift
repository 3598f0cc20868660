import ArgumentParser
import Foundation
import ModelCompiler
import ModelRunner

/// `sqlt source freshness`: how old each selected source table's newest load is.
struct SourceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source", abstract: "Commands on sources (freshness).", subcommands: [SourceFreshnessCommand.self])
}

/// Checks `loaded_at_field`/`loaded_at_query` against `warn_after`/`error_after`, writes
/// `target/sources.json`; exit 1 when a table is past `error_after` or its query fails.
struct SourceFreshnessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "freshness", abstract: "Check the freshness of the selected sources and write target/sources.json."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: SelectionOptions
    @Option(
        name: [.customShort("o"), .customLong("output")],
        help: "Where to write the results (default target/sources.json).")
    var outputPath: String?

    func run() throws {
        let session = try ProjectSession.open(global)
        let started = Date()
        let resolved = try session.resolveConnection()
        let compiled = try session.compile(target: session.targetInfo(resolved), warnError: false)
        let ids = try session.select(selection, in: compiled, types: [.source])
        var checks: [(SourceDefinition, SourceFreshness.Rule)] = []
        var problems: [Diagnostic] = []
        for id in ids.sorted() {
            guard let source = compiled.manifest.sources[id] else { continue }
            do {
                if let rule = try SourceFreshness.Rule(source) { checks.append((source, rule)) }
            } catch { problems.append(error) }
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        try ManifestArtifacts.writeManifest(compiled.manifest, to: session.targetDir)
        let reporter = Console.runReporter()
        var results: [SourceFreshness.Result] = []
        if checks.isEmpty {
            Console.print("Nothing to do: no selected source has a freshness rule (warn_after or error_after).")
        } else {
            let connection = try PostgresConnection(settings: try session.connect(resolved))
            defer { connection.close() }
            // dbt 1.11 runs the project's hooks around the checks unless
            // `flags.source_freshness_run_project_hooks` is false.
            let project = session.project
            func hooks(_ texts: [String]) throws -> [String] {
                guard project.sourceFreshnessRunsProjectHooks else { return [] }
                return try texts.map { try compiled.renderText($0, file: project.file, adapter: nil) }
            }
            try ProjectHooks.run(
                try hooks(project.onRunStart), kind: "on-run-start", projectName: project.name, session: connection,
                reporter: reporter)
            reporter.note(
                "Pulling freshness from warehouse metadata tables for \(checks.count) source\(checks.count == 1 ? "" : "s")"
            )
            for (index, (source, rule)) in checks.enumerated() {
                Console.event(SourceFreshness.startEvent(source, index: index + 1, total: checks.count, at: Date()))
                let result = SourceFreshness.check(source, rule: rule, session: connection)
                results.append(result)
                Console.event(SourceFreshness.resultEvent(source, result, index: index + 1, total: checks.count))
            }
            try ProjectHooks.run(
                try hooks(project.onRunEnd), kind: "on-run-end", projectName: project.name, session: connection,
                reporter: reporter)
        }
        let url =
            outputPath.map { URL(fileURLWithPath: $0, relativeTo: session.root) }
            ?? ArtifactPaths.sourcesURL(targetPath: session.targetDir)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(
            SourceFreshness.artifact(
                results, invocationId: Console.invocationId, generatedAt: Date(),
                elapsed: Date().timeIntervalSince(started)), toFile: url.path)
        let errors = results.filter { $0.status == "error" || $0.status == "runtime error" }.count
        let warnings = results.filter { $0.status == "warn" }.count
        Console.print(
            "Done. PASS=\(results.count - errors - warnings) WARN=\(warnings) ERROR=\(errors) TOTAL=\(results.count)"
        )
        if errors > 0 { throw ExitCode(1) }
    }
}
