/// Why a selected node was not run: the scheduler's and the runner's reasons, one enum instead of
/// strings compared in three places.
public enum SkipReason: Sendable, Hashable, CustomStringConvertible {
    /// A node it waits for failed or was skipped, or (fail-fast) a failure stopped the run: that
    /// node's unique id.
    case failed(String)
    /// The node is on a dependency cycle.
    case dependencyCycle
    /// The run was cancelled (a signal, or the run lock's session ended).
    case cancelled

    /// The cause in a word: the failed node's unique id, `dependency cycle` or `cancelled` (the
    /// structured log's `skipped because <cause>`).
    public var description: String {
        switch self {
        case .failed(let id): return id
        case .dependencyCycle: return "dependency cycle"
        case .cancelled: return "cancelled"
        }
    }

    /// The end of the sentence `skipped because ...`, as the console and `run_results.json` say it.
    public var explanation: String {
        switch self {
        case .failed(let id): return "\(id) failed"
        case .dependencyCycle: return "of a dependency cycle"
        case .cancelled: return "the run was cancelled"
        }
    }
}
