import Foundation
import ModelCompiler
import ModelRunner
import TestSupport

/// Renders a model as its `compiledCode`, or as its incremental variant when `is_incremental()`.
struct FixtureRenderer: NodeRenderer {
    let manifest: Manifest
    let incremental: [String: String]

    func render(
        _ uniqueId: String, options: RenderOptions, adapter: (any RuntimeAdapter)?
    ) throws(DiagnosticsError) -> String {
        guard let node = manifest.nodes[uniqueId], let sql = node.compiledCode else {
            throw DiagnosticsError([.error("unknown-node", "no compiled code for \(uniqueId)")])
        }
        if options.isIncremental, let variant = incremental[uniqueId] {
            // The adapter must agree that the relation exists when the runner says it is incremental.
            guard adapter?.relationExists(schema: node.schema, name: node.alias) == true else {
                throw DiagnosticsError([.error("adapter", "is_incremental() without an existing relation")])
            }
            return variant
        }
        return sql
    }
}

/// Collects progress lines in dbt's format (thread-safe; the runner reports from one thread).
final class CollectingReporter: RunReporter, @unchecked Sendable {
    let onStart: (@Sendable (ManifestNode) -> Void)?
    private let box = LineBox()
    private let console: ConsoleReporter

    init(onStart: (@Sendable (ManifestNode) -> Void)? = nil) {
        self.onStart = onStart
        let box = self.box
        console = ConsoleReporter(colors: false, showTimestamps: false) { box.append($0) }
    }

    var lines: [String] { box.lines }

    func nodeStarted(_ node: ManifestNode, index: Int, total: Int) {
        console.nodeStarted(node, index: index, total: total)
        onStart?(node)
    }
    func nodeFinished(_ node: ManifestNode, result: NodeResult, index: Int, total: Int) {
        console.nodeFinished(node, result: result, index: index, total: total)
    }
    func nodeSkipped(_ node: ManifestNode, because cause: SkipReason, index: Int, total: Int) {
        console.nodeSkipped(node, because: cause, index: index, total: total)
    }
    func runFinished(_ results: [NodeResult], nodes: [String: ManifestNode], elapsed: Double) {
        console.runFinished(results, nodes: nodes, elapsed: elapsed)
    }
    func note(_ text: String) { console.note(text) }
}

final class LineBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) { lock.lock(); stored.append(line); lock.unlock() }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return stored }
}

/// A hand-built project of models in one schema, run with the real runner on the test database.
struct RunFixture {
    let schema: String
    let settings: ConnectionSettings
    var models: [ManifestNode] = []
    var incremental: [String: String] = [:]
    let targetPath = FileManager.default.temporaryDirectory.appendingPathComponent("sqlt-run-\(UUID().uuidString)")

    init(schema: String, settings: ConnectionSettings) {
        self.schema = schema
        self.settings = settings
    }

    /// Adds (or replaces) a model; `dependsOn` are model names.
    mutating func model(
        _ name: String, _ sql: String, config: NodeConfig = ["materialized": "table"], dependsOn: [String] = [],
        incrementalSQL: String? = nil, columns: [ColumnInfo] = [], schema: String? = nil
    ) {
        let id = "model.shop.\(name)"
        let node = ManifestNode(
            uniqueId: id, resourceType: .model, name: name, packageName: "shop", path: "\(name).sql",
            originalFilePath: "models/\(name).sql", fqn: ["shop", name], schema: schema ?? self.schema, alias: name,
            relationName: qualifiedName(schema ?? self.schema, name), rawCode: sql, compiledCode: sql, config: config,
            description: "the \(name) model", columns: Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0) }),
            dependsOn: DependsOn(nodes: dependsOn.map { "model.shop.\($0)" })
        )
        models.removeAll { $0.uniqueId == id }
        models.append(node)
        incremental[id] = incrementalSQL
    }

    var manifest: Manifest {
        var manifest = Manifest(
            metadata: ManifestMetadata(sqltVersion: "test", generatedAt: "", invocationId: "", projectName: "shop"))
        for node in models {
            manifest.nodes[node.uniqueId] = node
            manifest.parentMap[node.uniqueId] = node.dependsOn.nodes
            for parent in node.dependsOn.nodes { manifest.childMap[parent, default: []].append(node.uniqueId) }
        }
        return manifest
    }

    func runner(
        threads: Int = 1, fullRefresh: Bool = false, failFast: Bool = false, lockTimeout: Double = 30,
        invocationId: String = UUID().uuidString.lowercased(), reporter: CollectingReporter = CollectingReporter(),
        onRunStart: [String] = [], onRunEnd: [String] = []
    ) throws -> Runner {
        let manifest = self.manifest
        let settings = self.settings
        return Runner(
            manifest: manifest, graph: try DependencyGraph(manifest: manifest),
            renderer: FixtureRenderer(manifest: manifest, incremental: incremental),
            options: RunOptions(
                threads: threads, fullRefresh: fullRefresh, failFast: failFast, lockTimeout: lockTimeout,
                targetPath: targetPath, invocationId: invocationId, targetSchema: schema),
            projectRoot: targetPath.deletingLastPathComponent(), executors: [.model: ModelExecutor()],
            sessionFactory: { try PostgresConnection(settings: settings) }, reporter: reporter,
            onRunStart: onRunStart, onRunEnd: onRunEnd, args: ["which": "run"]
        )
    }

    /// Runs every model (or `only`) and returns the outcome.
    @discardableResult
    func run(
        _ only: [String]? = nil, threads: Int = 1, fullRefresh: Bool = false, failFast: Bool = false,
        reporter: CollectingReporter = CollectingReporter()
    ) throws -> RunOutcome {
        let selected = Set((only ?? models.map(\.name)).map { "model.shop.\($0)" })
        return try runner(threads: threads, fullRefresh: fullRefresh, failFast: failFast, reporter: reporter).run(
            selected: selected)
    }
}

extension RunOutcome {
    func result(_ name: String) -> NodeResult? { results.first { $0.uniqueId == "model.shop.\(name)" } }
    func status(_ name: String) -> NodeStatus? { result(name)?.status }
}

extension DatabaseSession {
    /// Rows of a query as text, each row joined with `|`.
    func rows(_ sql: String) throws -> [String] {
        try execute(sql).rows.map { $0.map { $0 ?? "null" }.joined(separator: "|") }
    }
}
