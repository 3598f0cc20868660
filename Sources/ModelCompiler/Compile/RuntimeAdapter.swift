/// What templates may ask of the database at run time (`is_incremental()` needs to know whether
/// the relation exists; `run_query` needs results). The compiler defines it; the runner implements it.
/// The compiler itself never imports libpq.
public protocol RuntimeAdapter: Sendable {
    /// Whether a relation (table, view, materialized view) exists.
    func relationExists(schema: String, name: String) -> Bool
    /// Runs a query and returns its rows (column names, then text values; nil is NULL).
    func runQuery(_ sql: String) throws -> (columns: [String], rows: [[String?]])
    /// Runs a statement as `adapter.execute` and `statement` blocks do: rows with their column
    /// types, the command tag and the rows affected.
    func execute(_ sql: String) throws -> QueryResult
}

extension RuntimeAdapter {
    /// Without column types: every value is text.
    public func execute(_ sql: String) throws -> QueryResult {
        let result = try runQuery(sql)
        return QueryResult(columns: result.columns.map { .init(name: $0, typeOID: 25) }, rows: result.rows)
    }
}

/// A result set in PostgreSQL's text format, with the command tag of the statement: what the
/// runner's sessions return, and what templates see through `adapter.execute` and `load_result`.
public struct QueryResult: Sendable {
    /// A result column: its name and PostgreSQL type oid (23 int4, 25 text, 1700 numeric, ...).
    public struct Column: Sendable, Hashable {
        public var name: String
        public var typeOID: UInt32
        public init(name: String, typeOID: UInt32) {
            self.name = name
            self.typeOID = typeOID
        }
    }
    public var columns: [Column]
    /// Values in text format; nil is NULL.
    public var rows: [[String?]]
    /// For example `INSERT 0 120`, `SELECT 3`, `CREATE VIEW`.
    public var commandTag: String
    /// Rows affected as the server reports them (`PQcmdTuples`), when it does.
    public var rowsAffected: Int?

    public init(columns: [Column] = [], rows: [[String?]] = [], commandTag: String = "", rowsAffected: Int? = nil) {
        self.columns = columns
        self.rows = rows
        self.commandTag = commandTag
        self.rowsAffected = rowsAffected
    }

    /// The first column of the first row.
    public var scalar: String? { rows.first?.first ?? nil }

    /// The values of one column by name.
    public func values(_ column: String) -> [String?] {
        guard let index = columns.firstIndex(where: { $0.name == column }) else { return [] }
        return rows.map { $0[index] }
    }
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
    func render(
        _ uniqueId: String, options: RenderOptions, adapter: (any RuntimeAdapter)?
    ) throws(DiagnosticsError) -> String
    /// Where in the node's `.sql` file a database error points: `statement` is what ran and
    /// `position` PostgreSQL's 1-based character position in it. Nil when that character does not
    /// come from the node's template (a materialization's wrapper, an inlined ephemeral model).
    func templateLocation(
        of uniqueId: String, options: RenderOptions, statement: String, position: Int
    ) -> SourceLocation?
}

extension NodeRenderer {
    public func templateLocation(
        of uniqueId: String, options: RenderOptions, statement: String, position: Int
    ) -> SourceLocation? {
        nil
    }
}
