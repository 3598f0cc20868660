import ArgumentParser
import Dispatch
import Foundation
import ModelCompiler
import ModelRunner

/// Options shared by `run`, `seed`, `test`, `build` and `retry`.
struct RunFlags: ParsableArguments {
    @Flag(name: .customLong("full-refresh"), help: "Rebuild incremental models and reload seeds from scratch.")
    var fullRefresh = false

    @Flag(name: [.customShort("x"), .customLong("fail-fast")], help: "Stop at the first failure.")
    var failFast = false

    @Flag(name: .customLong("empty"), help: "Build every model with zero rows (refs and sources read nothing).")
    var empty = false

    @Option(name: .customLong("lock-timeout"), help: "Seconds to wait for another run on the same target (default 60).")
    var lockTimeout: Double = 60

    @Flag(name: .customLong("warn-error"), help: "Treat warnings as errors.")
    var warnError = false

    @Option(
        name: .customLong("metrics-file"),
        help: "Write the run's Prometheus metrics to this node-exporter textfile (atomically).")
    var metricsFile: String?

    @Option(
        name: .customLong("pushgateway"),
        help: "Push the run's Prometheus metrics to this Pushgateway URL (default $SQLT_PUSHGATEWAY_URL).")
    var pushgateway: String?

    /// Where the run's metrics go, from the options and the environment.
    func metricsPublisher() throws -> MetricsPublisher {
        let env = ProcessInfo.processInfo.environment["SQLT_PUSHGATEWAY_URL"].flatMap { $0.isEmpty ? nil : $0 }
        var gateway: URL?
        if let text = pushgateway ?? env {
            guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme),
                url.host != nil
            else {
                throw CommandFailure.error("--pushgateway must be an http(s) URL, got '\(text)'", exitCode: 2)
            }
            gateway = url
        }
        return MetricsPublisher(file: metricsFile, pushgateway: gateway)
    }

    @Option(
        name: .customLong("sample"),
        help:
            "Read only a time window of refs and sources with an event_time: '3 days' or '{start: 2024-07-01, end: 2024-07-08}'."
    )
    var sample: String?

    @Flag(
        name: .customLong("defer"), inversion: .prefixedNo,
        help: "Refs to nodes not built here read the --state manifest's relation when theirs does not exist.")
    var deferToState = false

    @Flag(
        name: .customLong("favor-state"), inversion: .prefixedNo,
        help: "With --defer, read the state's relation even when the node's own exists.")
    var favorState = false
}

/// What a command builds: the resource types it selects and whether tests gate children.
enum RunKind: String {
    case run, seed, test, build, retry, snapshot

    var resourceTypes: Set<ResourceType> {
        switch self {
        case .run: return [.model]
        case .seed: return [.seed]
        case .test: return [.test, .unitTest]
        case .snapshot: return [.snapshot]
        case .build, .retry: return [.model, .seed, .test, .unitTest, .snapshot]
        }
    }
}

/// One `sqlt run`/`seed`/`test`/`build`/`retry`: compile, select, take the run lock, build in
/// dependency order over `--threads` connections, write `run_results.json`; exit 0, 1 when a node
/// failed, 2 for configuration and compile errors.
enum RunInvocation {
    static func execute(
        _ kind: RunKind, global: GlobalOptions, selection: SelectionOptions, flags: RunFlags,
        restrictTo: Set<String>? = nil, types: Set<ResourceType>? = nil
    ) throws {
        let root = global.projectURL
        let started = Date()
        let publisher = try flags.metricsPublisher()
        var labels = (project: root.lastPathComponent, target: "")
        var finished: (outcome: RunOutcome, manifest: Manifest)?
        /// The invocation's metrics, whatever its end (a configuration error is exit code 2).
        func publishMetrics(_ exitCode: Int32) {
            guard publisher.isEnabled else { return }
            let elapsed = Date().timeIntervalSince(started)
            let metrics =
                finished.map {
                    RunMetrics(
                        outcome: $0.outcome, manifest: $0.manifest, project: labels.project, target: labels.target,
                        command: kind.rawValue, exitCode: exitCode, durationSeconds: elapsed)
                }
                ?? RunMetrics(
                    project: labels.project, target: labels.target, command: kind.rawValue, nodes: [],
                    durationSeconds: elapsed, exitCode: exitCode)
            for problem in publisher.publish(metrics) { Console.error("warning: \(problem)") }
        }
        do {
            let session = try ProjectSession.open(global)
            labels.project = session.project.name
            let resolved = try session.resolveConnection()
            let target = session.targetInfo(resolved)
            labels.target = target.name
            var compiled = try session.compile(target: target, warnError: flags.warnError)
            var selected = try session.select(
                selection, in: compiled, types: types ?? kind.resourceTypes, warnError: flags.warnError)
            if let restrictTo { selected = selected.intersection(restrictTo) }
            try session.checkSyntax(compiled, executing: selected, warnError: flags.warnError)
            try ManifestArtifacts.writeManifest(compiled.manifest, to: session.targetDir)
            try ManifestArtifacts.writeCompiled(compiled.manifest, ids: selected.sorted(), to: session.targetDir)
            let settings = try session.connect(resolved)
            SecretEnvVars.register(settings.password)
            if flags.deferToState {
                compiled = try deferred(
                    compiled, selected: selected, session: session, selection: selection, flags: flags,
                    settings: settings)
            }
            let lineage = LineageArtifacts.buildAndWrite(
                session, compiled, database: settings, models: compiled.lineageScope(running: selected))

            var hooksStart: [String] = [], hooksEnd: [String] = []
            for hook in session.project.onRunStart {
                hooksStart.append(try compiled.renderText(hook, file: session.project.file, adapter: nil))
            }
            for hook in session.project.onRunEnd {
                hooksEnd.append(try compiled.renderText(hook, file: session.project.file, adapter: nil))
            }

            var options = RunOptions(
                threads: max(1, global.threads ?? settings.threads), fullRefresh: flags.fullRefresh,
                failFast: flags.failFast, empty: flags.empty, lockTimeout: flags.lockTimeout,
                targetPath: session.targetDir, invocationId: session.invocationId, targetSchema: settings.schema)
            options.sample = try flags.sample.map { try SampleWindow.parse($0) }
            let testExecutor = TestExecutor()
            let runner = Runner(
                manifest: compiled.manifest, graph: compiled.graph, renderer: compiled, options: options,
                projectRoot: session.root,
                executors: [
                    .model: ModelExecutor(), .snapshot: ModelExecutor(), .seed: SeedExecutor(), .test: testExecutor,
                    .unitTest: testExecutor,
                ],
                sessionFactory: { try PostgresConnection(settings: settings) },
                reporter: LineageArtifacts.reporter(
                    wrapping: Console.runReporter(), session: session, settings: settings, lineage: lineage),
                onRunStart: hooksStart, onRunEnd: hooksEnd,
                extraDependencies: kind == .build || kind == .retry
                    ? compiled.graph.buildTestDependencies(manifest: compiled.manifest) : [:],
                args: [
                    "which": .string(kind.rawValue), "select": .array(selection.select.map(JSONValue.string)),
                    "invocation_command": .string(SqltMain.invocation.command),
                ])
            // An unknown seed `column_types` type is a configuration error at its YAML line, before any change.
            let unknownTypes = try SeedColumnTypeCheck.unknownTypes(
                of: selected.compactMap { compiled.manifest.nodes[$0] }.filter { $0.config.enabled },
                projectRoot: session.root, projectFile: session.project.file,
                connect: { try PostgresConnection(settings: settings) })
            if !unknownTypes.isEmpty { throw DiagnosticsError(unknownTypes) }
            if selected.isEmpty {
                Console.print("Nothing to do: the selection matched no \(kind == .test ? "tests" : "nodes").")
                publishMetrics(0)
                return
            }
            // SIGINT/SIGTERM cancel the run (queries cancelled on the server) and exit 130/143.
            SignalHandling.setHandler { _ in
                FileHandle.standardError.write(
                    Data("\ncancelling: asking the server to stop running queries...\n".utf8))
                runner.cancel()
            }
            let outcome: RunOutcome
            do {
                defer { SignalHandling.setHandler(nil) }
                outcome = try runner.run(selected: selected)
            }
            finished = (outcome, compiled.manifest)
            if let signal = SignalHandling.received {
                throw CommandFailure(
                    line: "cancelled: running queries were cancelled on the server",
                    exitCode: SignalHandling.exitCode(for: signal))
            }
            if !outcome.succeeded { throw ExitCode(1) }
            // --warn-error: a test that only warned fails the invocation too
            if flags.warnError, outcome.results.contains(where: { $0.status == .warn }) {
                throw CommandFailure.error(
                    "--warn-error: \(outcome.results.filter { $0.status == .warn }.count) warning(s) treated as errors",
                    exitCode: 1)
            }
            publishMetrics(0)
        } catch {
            // an error while a signal stops the run is the signal's; the metrics carry the exit code
            var failure = error
            if let signal = SignalHandling.received, !(error is ExitCode), !(error is CommandFailure) {
                failure = CommandFailure(line: "cancelled: \(error)", exitCode: SignalHandling.exitCode(for: signal))
            }
            publishMetrics(ErrorReporting.exitCode(for: failure).rawValue)
            throw failure
        }
    }
}

extension RunInvocation {
    /// `--defer`: the project with unbuilt parents read from the `--state` manifest's relations.
    static func deferred(
        _ compiled: CompiledProject, selected: Set<String>, session: ProjectSession, selection: SelectionOptions,
        flags: RunFlags,
        settings: ConnectionSettings
    ) throws -> CompiledProject {
        guard let folder = selection.state else {
            throw Diagnostic.error(
                "defer.no-state", "--defer reads the relations of an earlier run's manifest",
                hint: "pass --state with its folder")
        }
        let state = try ManifestArtifacts.readManifest(in: URL(fileURLWithPath: folder, relativeTo: session.root))
        let connection = try PostgresConnection(settings: settings)
        defer { connection.close() }
        let schemas = Set(compiled.manifest.nodes.values.filter { !selected.contains($0.uniqueId) }.map(\.schema))
        let catalog = try RelationListingReader.read(schemas: schemas, session: connection)
        let result = compiled.deferring(to: state, selected: selected, favorState: flags.favorState) { schema, name in
            catalog.relation(schema: schema, name: name) != nil
        }
        if !result.deferred.isEmpty {
            Console.print(
                "Deferring \(result.deferred.count) unbuilt node\(result.deferred.count == 1 ? "" : "s") to the state manifest: \(result.deferred.joined(separator: ", "))"
            )
        }
        return result.project
    }
}
