import ModelCompiler

/// Runs a node's statements on one session and keeps the script of what ran (for `target/run/`),
/// the command tag of the statement that reports rows, and where a failed statement starts.
final class StatementRecorder {
    let session: any DatabaseSession
    private(set) var script = ""
    private(set) var reported: QueryResult?
    /// 1-based line in `script` of the statement that failed, the statement, and the error.
    private(set) var failure: (line: Int, statement: String, error: DatabaseError)?
    /// Whether a `commit` was sent (after it, a lost connection leaves the outcome unknown).
    private(set) var commitSent = false

    init(session: any DatabaseSession) { self.session = session }

    /// Runs one planned statement, recording it.
    @discardableResult
    func run(_ statement: PlannedStatement) throws(DatabaseError) -> QueryResult {
        try run(statement.sql, reportsRows: statement.reportsRows)
    }

    @discardableResult
    func run(_ sql: String, reportsRows: Bool = false) throws(DatabaseError) -> QueryResult {
        let startLine = script.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        script += sql + ";\n\n"
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

    /// Forgets a failure the caller handled (a fallback follows), so a later error is located right.
    func forgetFailure() { failure = nil }

    /// Runs statements without recording them and ignoring errors (cleanup after a failure).
    func runQuietly(_ statements: [PlannedStatement]) {
        for statement in statements { _ = try? session.executeScript(statement.sql) }
    }

    /// Lines before the 1-based character `position` of `sql` (0 when unknown).
    static func lineOffset(of position: Int?, in sql: String) -> Int {
        guard let position, position > 0 else { return 0 }
        return sql.prefix(position - 1).reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
    }
}
