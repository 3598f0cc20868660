import ModelCompiler

/// Why a node ended in error, as dbt names its error kinds; the text of the progress line and of
/// `run_results.json`'s `message` comes from here alone.
public enum NodeFailure: Sendable, Hashable {
    /// The node could not be rendered or planned (a template error, an unknown materialization, an
    /// invalid configuration).
    case compilation(String)
    /// PostgreSQL refused a statement (the detail already says where, and names the compiled file).
    case database(String)
    /// Anything else that stopped the node.
    case runtime(String)
    /// The scheduler named a node the manifest does not hold.
    case notInManifest
    /// No executor builds nodes of this resource type.
    case noExecutor(ResourceType)
    /// The worker could not open its connection.
    case connection(String)

    /// The message for a failed node: `Compilation Error in model orders (models/orders.sql)` and
    /// the detail indented below it, or a sentence for the runner's own failures.
    public func message(uniqueId: String, node: ManifestNode?) -> String {
        switch self {
        case .compilation(let detail): return Self.modelError("Compilation", node, uniqueId, detail)
        case .database(let detail): return Self.modelError("Database", node, uniqueId, detail)
        case .runtime(let detail): return Self.modelError("Runtime", node, uniqueId, detail)
        case .notInManifest: return "\(uniqueId) is not in the manifest"
        case .noExecutor(let type): return "no executor for \(type.rawValue) nodes"
        case .connection(let detail): return "could not connect to the database: \(detail)"
        }
    }

    private static func modelError(_ kind: String, _ node: ManifestNode?, _ id: String, _ detail: String) -> String {
        let subject = node.map { "model \($0.name) (\($0.originalFilePath))" } ?? id
        return "\(kind) Error in \(subject)\n  \(detail)"
    }
}

extension NodeResult {
    /// A result in error for `failure`, its message said as `NodeFailure` says it.
    public init(uniqueId: String, failure: NodeFailure, node: ManifestNode? = nil, threadId: String = "") {
        self.init(
            uniqueId: uniqueId, status: .error, message: failure.message(uniqueId: uniqueId, node: node),
            threadId: threadId)
        self.failure = failure
    }
}
