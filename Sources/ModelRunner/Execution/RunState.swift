import Foundation
import ModelCompiler

/// What one run has done so far, shared by its workers: the schemas it created and the relations
/// it built (so `is_incremental()` sees relations created earlier in the same run).
public final class RunState: @unchecked Sendable {
    private let lock = NSLock()
    private var schemas: Set<String> = []
    private var created: Set<String> = []
    private var droppedDependents: Set<String> = []

    public init() {}

    /// Runs `create schema if not exists` once per run per schema (serialised: concurrent
    /// `create schema if not exists` of one name can fail with a unique violation).
    public func ensureSchema(_ schema: String, using session: any DatabaseSession) throws(DatabaseError) {
        lock.lock()
        defer { lock.unlock() }
        guard !schemas.contains(schema) else { return }
        try session.execute("create schema if not exists \(quoteIdentifier(schema))")
        schemas.insert(schema)
    }

    /// Records that this run built `schema.name`.
    public func markCreated(schema: String, name: String) {
        lock.lock()
        defer { lock.unlock() }
        created.insert("\(schema).\(name)")
    }

    /// Records that replacing a parent dropped the view `schema.name` (it could not be recreated
    /// on the new parent and its own node rebuilds it later in this run).
    public func markDroppedDependent(_ key: String) {
        lock.lock()
        defer { lock.unlock() }
        droppedDependents.insert(key)
    }

    /// Whether replacing a parent dropped `schema.name` earlier in this run.
    public func wasDroppedDependent(schema: String, name: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return droppedDependents.contains("\(schema).\(name)")
    }

    /// Whether this run built `schema.name`.
    public func wasCreated(schema: String, name: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return created.contains("\(schema).\(name)")
    }
}

/// `RuntimeAdapter` of one worker: relation existence from the run's relation listing plus what the
/// run built; `run_query` on the worker's own session. Used only on the worker's thread.
public final class SessionRuntimeAdapter: RuntimeAdapter, @unchecked Sendable {
    private let session: any DatabaseSession
    private let catalog: RelationListing
    private let state: RunState

    public init(session: any DatabaseSession, catalog: RelationListing, state: RunState) {
        self.session = session
        self.catalog = catalog
        self.state = state
    }

    public func relationExists(schema: String, name: String) -> Bool {
        catalog.relation(schema: schema, name: name) != nil || state.wasCreated(schema: schema, name: name)
    }

    public func runQuery(_ sql: String) throws -> (columns: [String], rows: [[String?]]) {
        let result = try session.execute(sql)
        return (result.columns.map(\.name), result.rows)
    }

    public func execute(_ sql: String) throws -> QueryResult {
        try session.execute(sql)
    }
}
