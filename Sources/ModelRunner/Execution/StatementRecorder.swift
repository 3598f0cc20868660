import ModelCompiler

/// Runs a node's statements on one session and keeps the script of what ran (for `target/run/`),
/// the command tag of the statement that reports rows, and where a failed statement starts.
///
/// Statements whose result nothing needs right away can be queued: they are sent together, in
/// one round trip (`DatabaseSession.executeBatch`), at the next `flush` or `run`. A node without
/// hooks queues its generated statements (one statement each, the batch's rule); hooks are the
/// user's text, possibly several statements, and always run alone (`batching` false).
final class StatementRecorder {
    let session: any DatabaseSession
    /// Whether `queue` holds statements back for one round trip (false: it runs them at once).
    let batching: Bool
    private(set) var script = ""
    private(set) var reported: QueryResult?
    /// 1-based line in `script` of the statement that failed, the statement, and the error.
    private(set) var failure: (line: Int, statement: String, error: DatabaseError)?
    /// Whether a `commit` was sent (after it, a lost connection leaves the outcome unknown).
    private(set) var commitSent = false
    private var pending: [PlannedStatement] = []
    private var lines = 1

    init(session: any DatabaseSession, batching: Bool = false) {
        self.session = session
        self.batching = batching
    }

    /// Runs one planned statement, recording it (queued statements go first, in their own round trip).
    @discardableResult
    func run(_ statement: PlannedStatement) throws(DatabaseError) -> QueryResult {
        try run(statement.sql, reportsRows: statement.reportsRows)
    }

    @discardableResult
    func run(_ sql: String, reportsRows: Bool = false) throws(DatabaseError) -> QueryResult {
        try flush()
        let startLine = record(sql)
        if sql == "commit" { commitSent = true }
        do {
            let result = try session.executeScript(sql)
            if reportsRows { reported = result }
            return result
        } catch {
            failure = (startLine + Self.lineOffset(of: error.position, in: sql), sql, error)
            throw error
        }
    }

    /// Queues a statement (exactly one SQL statement) for the next round trip; runs it at once
    /// when not batching.
    func queue(_ statement: PlannedStatement) throws(DatabaseError) {
        guard batching else {
            try run(statement)
            return
        }
        pending.append(statement)
    }

    func queue(_ sql: String) throws(DatabaseError) { try queue(PlannedStatement(sql)) }

    /// Sends the queued statements in one round trip. Only the statements that ran (up to the
    /// failed one) are recorded; a failure is located in its own statement.
    func flush() throws(DatabaseError) {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending = []
        let commitAt = batch.firstIndex { $0.sql == "commit" }
        let sentBefore = commitSent
        if commitAt != nil { commitSent = true }
        do {
            let results = try session.executeBatch(batch.map(\.sql))
            for (statement, result) in zip(batch, results) {
                record(statement.sql)
                if statement.reportsRows { reported = result }
            }
        } catch {
            let index = min(error.statementIndex ?? 0, batch.count - 1)
            var startLine = lines
            for statement in batch[...index] { startLine = record(statement.sql) }
            // The server stops at a failed statement: a commit after it was never run.
            if let commitAt, commitAt > index, !error.isConnectionLost { commitSent = sentBefore }
            failure = (startLine + Self.lineOffset(of: error.position, in: batch[index].sql), batch[index].sql, error)
            throw error
        }
    }

    /// Drops the queued statements unsent (the node stopped before they were needed).
    func discardQueued() { pending = [] }

    /// Forgets a failure the caller handled (a fallback follows), so a later error is located right.
    func forgetFailure() { failure = nil }

    /// Runs statements without recording them and ignoring errors (cleanup after a failure).
    func runQuietly(_ statements: [PlannedStatement]) {
        for statement in statements { _ = try? session.executeScript(statement.sql) }
    }

    /// Appends a statement to the script; returns its first line.
    @discardableResult
    private func record(_ sql: String) -> Int {
        let startLine = lines
        script += sql + ";\n\n"
        lines += sql.reduce(0) { $1 == "\n" ? $0 + 1 : $0 } + 2
        return startLine
    }

    /// Lines before the 1-based character `position` of `sql` (0 when unknown).
    static func lineOffset(of position: Int?, in sql: String) -> Int {
        guard let position, position > 0 else { return 0 }
        return sql.prefix(position - 1).reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
    }
}
