/// What templates may ask of the database at run time (`is_incremental()` needs to know whether
/// the relation exists; `run_query` needs results). The compiler defines it; the runner implements it.
/// The compiler itself never imports libpq.
public protocol RuntimeAdapter: Sendable {
    /// Whether a relation (table, view, materialized view) exists.
    func relationExists(schema: String, name: String) -> Bool
    /// Runs a query and returns its rows (column names, then text values; nil is NULL).
    func runQuery(_ sql: String) throws -> (columns: [String], rows: [[String?]])
}

/// How a node's SQL is rendered for one run.
public struct RenderOptions: Sendable, Hashable {
    /// `is_incremental()`: the model is incremental, its relation exists and this is not a full refresh.
    public var isIncremental: Bool
    /// `--empty`: every `ref` and `source` reads zero rows.
    public var empty: Bool
    /// `--sample`: refs and sources with an `event_time` read only this window (models and snapshots).
    public var sample: SampleWindow?
    public init(isIncremental: Bool = false, empty: Bool = false, sample: SampleWindow? = nil) {
        self.isIncremental = isIncremental
        self.empty = empty
        self.sample = sample
    }
}

/// Renders a node's SQL at run time; implemented by the compiled project.
public protocol NodeRenderer: Sendable {
    /// The SQL of a node for this run, with ephemeral models inlined as CTEs.
    func render(_ uniqueId: String, options: RenderOptions, adapter: (any RuntimeAdapter)?) throws(DiagnosticsError) -> String
    /// Where in the node's `.sql` file a database error points: `statement` is what ran and
    /// `position` PostgreSQL's 1-based character position in it. Nil when that character does not
    /// come from the node's template (a materialization's wrapper, an inlined ephemeral model).
    func templateLocation(of uniqueId: String, options: RenderOptions, statement: String, position: Int) -> SourceLocation?
}

extension NodeRenderer {
    public func templateLocation(of uniqueId: String, options: RenderOptions, statement: String, position: Int) -> SourceLocation? {
        nil
    }
}
