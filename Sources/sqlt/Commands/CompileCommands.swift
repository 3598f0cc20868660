import ArgumentParser
import Foundation
import ModelCompiler
import ModelRunner

/// `sqlt parse`: reads the project, writes `target/manifest.json` (and with `--lineage`,
/// `target/lineage.json`), prints how long it took.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse", abstract: "Parse the project and write target/manifest.json.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("warn-error"), help: "Treat warnings as errors.") var warnError = false
    @Flag(
        name: .customLong("lineage"),
        help: "Also compute column lineage into target/lineage.json (compile, docs, privacy and runs always do).")
    var lineage = false

    func run() throws {
        let session = try ProjectSession.open(global)
        let clock = ContinuousClock()
        let start = clock.now
        let compiled = try session.compile(
            target: session.targetInfo(try session.resolveConnection()), warnError: warnError)
        try session.checkSyntax(compiled, executing: [], warnError: warnError)
        let compiledAt = clock.now
        try ManifestArtifacts.writeManifest(compiled.manifest, to: session.targetDir)
        let writtenAt = clock.now
        if lineage { LineageArtifacts.buildAndWrite(session, compiled) }
        let lineageTime = clock.now - writtenAt
        let total = writtenAt - start
        var counts: [ResourceType: Int] = [:]
        for node in compiled.manifest.nodes.values { counts[node.resourceType, default: 0] += 1 }
        Console.print(
            "Parsed \(counts[.model] ?? 0) models, \(counts[.seed] ?? 0) seeds, \(counts[.snapshot].map { "\($0) snapshots, " } ?? "")\(counts[.test] ?? 0) tests, "
                + "\(compiled.manifest.sources.count) sources, \(compiled.manifest.macros.count) macros "
                + "in \(format(compiledAt - start)) (manifest written in \(format(total - (compiledAt - start)))"
                + (lineage ? ", lineage in \(format(lineageTime)))" : ")"))
        Console.print("phases: \(compiled.timings.summary)")
    }
}

/// `sqlt compile`: also writes each selected node's SQL under `target/compiled/`.
struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile", abstract: "Compile the project's SQL into target/compiled/.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: SelectionOptions
    @Flag(name: .customLong("warn-error"), help: "Treat warnings as errors.") var warnError = false

    func run() throws {
        let session = try ProjectSession.open(global)
        let start = ContinuousClock.now
        let resolved = try session.resolveConnection()
        var compiled = try session.compile(target: session.targetInfo(resolved), warnError: warnError)
        let selected = try session.select(
            selection, in: compiled, types: [.model, .test, .analysis, .seed, .unitTest, .snapshot],
            warnError: warnError)
        try session.checkSyntax(compiled, executing: [], warnError: warnError)
        try renderWithConnection(&compiled, ids: selected, session: session, resolved: resolved)
        try ManifestArtifacts.writeManifest(compiled.manifest, to: session.targetDir)
        try ManifestArtifacts.writeCompiled(compiled.manifest, ids: selected.sorted(), to: session.targetDir)
        LineageArtifacts.buildAndWrite(session, compiled)
        Console.print(
            "Compiled \(selected.count) nodes into \(ArtifactPaths.compiledFolder(targetPath: session.targetDir).path) in \(format(ContinuousClock.now - start))"
        )
    }

    /// Renders the selected nodes again with a connection (`execute` true), as `dbt compile` does,
    /// when one is configured or the embedded server already runs; otherwise says so and keeps the
    /// SQL rendered without one.
    func renderWithConnection(
        _ compiled: inout CompiledProject, ids: Set<String>, session: ProjectSession, resolved: ConnectionResolution
    ) throws {
        if case .embedded = resolved.connection {
            guard case .running = EmbeddedPostgres(projectDir: session.root.path).status().state else {
                Console.print(
                    "note: no database configured and the embedded server is not running: compiled with execute = false"
                )
                return
            }
        }
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection(settings: try session.connect(resolved))
        } catch {
            ErrorReporting.printDiagnostics(
                [.warning("compile.no-connection", "cannot connect (\(error)): compiled with execute = false")],
                projectRoot: session.root)
            return
        }
        let adapter = SessionRuntimeAdapter(session: connection, catalog: RelationListing(), state: RunState())
        let errors = compiled.renderWithConnection(Array(ids), adapter: adapter)
        if !errors.isEmpty { throw DiagnosticsError(errors) }
    }
}

/// `sqlt ls`: prints the selected nodes.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List the selected nodes.", aliases: ["list"])

    enum Output: String, ExpressibleByArgument { case selector, name, path, json }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: SelectionOptions
    @Option(name: .customLong("output"), help: "selector (default), name, path or json.") var output: Output = .selector
    @Option(name: .customLong("resource-type"), parsing: .upToNextOption, help: "Only these resource types.")
    var resourceTypes: [String] = []
    @Option(
        name: .customLong("output-keys"), parsing: .upToNextOption,
        help:
            "With --output json: only these fields of each node (space- or comma-separated; dotted keys such as config.materialized reach nested fields)."
    )
    var outputKeys: [String] = []

    func validate() throws {
        if !outputKeys.isEmpty && ListOutputKeys(arguments: outputKeys) == nil {
            throw ValidationError("--output-keys needs at least one key")
        }
    }

    func run() throws {
        let session = try ProjectSession.open(global)
        let compiled = try session.compile(
            target: session.targetInfo(try session.resolveConnection()), warnError: false)
        var types = Set(ResourceType.allCases)
        if !resourceTypes.isEmpty {
            types = Set(
                try resourceTypes.map { name in
                    guard let type = ResourceType(rawValue: name) else {
                        throw CommandFailure.error("unknown resource type '\(name)'", exitCode: 1)
                    }
                    return type
                })
        }
        let manifest = compiled.manifest
        for id in try session.select(selection, in: compiled, types: types).sorted() {
            if let node = manifest.nodes[id] {
                switch output {
                case .selector: Console.result(node.fqn.joined(separator: "."))
                case .name: Console.result(node.name)
                case .path: Console.result(node.originalFilePath)
                case .json: Console.result(try jsonLine(node))
                }
            } else if let source = manifest.sources[id] {
                switch output {
                case .selector: Console.result("source:" + source.fqn.joined(separator: "."))
                case .name: Console.result("\(source.sourceName).\(source.name)")
                case .path: Console.result(source.originalFilePath)
                case .json: Console.result(try jsonLine(source))
                }
            }
        }
    }

    func jsonLine<T: Encodable>(_ value: T) throws -> String {
        if let keys = ListOutputKeys(arguments: outputKeys) { return try keys.line(value) }
        return String(decoding: try JSONEncoder.artifacts().encode(value), as: UTF8.self)
    }
}

/// `1.23s` or `45ms`.
func format(_ duration: Duration) -> String {
    let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    return seconds < 1 ? String(format: "%.0fms", seconds * 1000) : String(format: "%.2fs", seconds)
}
