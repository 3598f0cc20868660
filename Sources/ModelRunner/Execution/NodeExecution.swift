import Foundation
import ModelCompiler

/// The outcome of one node, as written to `run_results.json`.
public enum NodeStatus: String, Codable, Sendable {
    /// Models and seeds.
    case success, error, skipped
    /// Tests.
    case pass, fail, warn
}

/// dbt's `timing` entry.
public struct NodeTiming: Codable, Sendable {
    public var name: String  // "compile" or "execute"
    public var startedAt: Date
    public var completedAt: Date
    public init(name: String, startedAt: Date, completedAt: Date) {
        self.name = name
        self.startedAt = startedAt
        self.completedAt = completedAt
    }
    enum CodingKeys: String, CodingKey {
        case name
        case startedAt = "started_at"
        case completedAt = "completed_at"
    }
}

/// What executing one node produced.
public struct NodeResult: Sendable {
    public var uniqueId: String
    public var status: NodeStatus
    /// Short text for the progress line, e.g. `INSERT 120` or `CREATE VIEW`; for errors the error text.
    public var message: String
    public var rowsAffected: Int?
    /// Tests: number of failing rows.
    public var failures: Int?
    public var timing: [NodeTiming]
    public var executionTime: Double
    public var threadId: String
    /// The SQL that was run (written under `target/run/`).
    public var executedSQL: String?
    /// The relation built, e.g. `analytics_gold.gold_x`.
    public var relation: String?
    /// The SQL the node was rendered to for this run (`compiled_code` of run_results.json); nil
    /// falls back to the manifest's compiled code.
    public var compiledSQL: String?
    /// Running the node once more cannot duplicate anything: nothing of it was committed (its
    /// swap's `commit` was never sent), or it rebuilds its relation from scratch (a `commit` cut
    /// off by a lost connection leaves its outcome unknown). When it failed with its connection
    /// lost, the worker reconnects and runs it once more.
    public var safeToRetry = false
    /// Why the node ended in error, when the runner or `ModelExecutor` decided it (nil for other
    /// executors, whose `message` says it).
    public var failure: NodeFailure?

    public init(
        uniqueId: String, status: NodeStatus, message: String, rowsAffected: Int? = nil, failures: Int? = nil,
        timing: [NodeTiming] = [], executionTime: Double = 0, threadId: String = "", executedSQL: String? = nil,
        relation: String? = nil, compiledSQL: String? = nil
    ) {
        self.uniqueId = uniqueId
        self.status = status
        self.message = message
        self.rowsAffected = rowsAffected
        self.failures = failures
        self.timing = timing
        self.executionTime = executionTime
        self.threadId = threadId
        self.executedSQL = executedSQL
        self.relation = relation
        self.compiledSQL = compiledSQL
    }
}

/// Options of one `sqlt run`/`seed`/`test`/`build` invocation.
public struct RunOptions: Sendable {
    public var threads: Int
    public var fullRefresh: Bool
    public var failFast: Bool
    public var empty: Bool
    /// Seconds to wait for another run's advisory lock.
    public var lockTimeout: Double
    /// The `target/` folder.
    public var targetPath: URL
    public var invocationId: String
    /// The profile target's schema (`target.schema`).
    public var targetSchema: String
    /// `--sample`: the window refs and sources with an `event_time` are read in.
    public var sample: SampleWindow? = nil

    public init(
        threads: Int = 4, fullRefresh: Bool = false, failFast: Bool = false, empty: Bool = false,
        lockTimeout: Double = 60, targetPath: URL, invocationId: String, targetSchema: String
    ) {
        self.threads = threads
        self.fullRefresh = fullRefresh
        self.failFast = failFast
        self.empty = empty
        self.lockTimeout = lockTimeout
        self.targetPath = targetPath
        self.invocationId = invocationId
        self.targetSchema = targetSchema
    }
}

/// Everything a node executor may use. One context per worker: its session is that worker's
/// connection and is never shared.
public struct ExecutionContext {
    public var session: any DatabaseSession
    public var manifest: Manifest
    public var renderer: any NodeRenderer
    public var options: RunOptions
    /// The relations that existed when the run started (one batched catalog look-up per run),
    /// keyed by `schema.name` (unquoted).
    public var catalog: RelationListing
    /// The project root, for reading seed files.
    public var projectRoot: URL
    public var threadId: String
    /// The relations this run builds (`schema.name`, unquoted): a dependent view among them may
    /// be left for its own node when it cannot be recreated on a replaced parent.
    public var rebuiltRelations: Set<String>

    public init(
        session: any DatabaseSession, manifest: Manifest, renderer: any NodeRenderer, options: RunOptions,
        catalog: RelationListing, projectRoot: URL, threadId: String, rebuiltRelations: Set<String> = []
    ) {
        self.rebuiltRelations = rebuiltRelations
        self.session = session
        self.manifest = manifest
        self.renderer = renderer
        self.options = options
        self.catalog = catalog
        self.projectRoot = projectRoot
        self.threadId = threadId
    }
}

/// Builds, loads or checks one kind of node (models, seeds, tests).
public protocol NodeExecutor: Sendable {
    func execute(_ node: ManifestNode, in context: ExecutionContext) -> NodeResult
}
