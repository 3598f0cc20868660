import ModelCompiler

/// An error reported by the server (or by libpq), with the server's fields by name.
/// `description` is safe to print; `debugDescription` adds the query.
public struct DatabaseError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Where an error comes from: the server (with its SQLSTATE), or the client side of the
    /// connection (no SQLSTATE is made up for those).
    public enum Kind: String, Sendable, Hashable {
        /// The server answered with an error; `sqlState` and the other fields are its own.
        case server
        /// The connection could not be opened.
        case connectFailed
        /// The connection broke while a statement ran or before it was sent.
        case connectionLost
        /// The connection was closed by sqlt before the statement.
        case connectionClosed
        /// The server answered something the statement does not allow (for example no COPY).
        case unexpectedResult
        /// sqlt itself refused to go on (for example a check after a statement).
        case client
    }

    public var kind: Kind
    public var sqlState: String?
    public var severity: String?
    public var message: String
    /// The server's DETAIL: it can hold row values (personal data), so `description` leaves it out.
    public var detail: String?
    public var hint: String?
    /// 1-based character position in `query`, as the server reports it.
    public var position: Int?
    public var query: String?
    /// The server's CONTEXT field (PG_DIAG_CONTEXT), e.g. `COPY t, line 3, column a: "x"`.
    public var context: String?
    /// `executeBatch`: the 0-based index of the statement that failed (`query` is that statement
    /// and `position` is within it).
    public var statementIndex: Int?

    /// An error; its kind is `.server` when a SQLSTATE is given, `.client` otherwise.
    public init(
        kind: Kind? = nil, sqlState: String? = nil, severity: String? = nil, message: String, detail: String? = nil,
        hint: String? = nil, position: Int? = nil, query: String? = nil, context: String? = nil
    ) {
        self.kind = kind ?? (sqlState == nil ? .client : .server)
        self.sqlState = sqlState
        self.severity = severity
        self.message = message
        self.detail = detail
        self.hint = hint
        self.position = position
        self.query = query
        self.context = context
    }

    /// Whether the session is gone: the connection broke, or the server ended the backend
    /// (`pg_terminate_backend`, shutdown, SQLSTATE class 08).
    public var isConnectionLost: Bool {
        switch kind {
        case .connectionLost, .connectionClosed: return true
        case .server:
            return sqlState == "57P01" || sqlState == "57P02" || sqlState == "57P03"
                || sqlState?.hasPrefix("08") == true
        case .connectFailed, .unexpectedResult, .client: return false
        }
    }

    /// Safe to print and to write to `run_results.json`: the message, SQLSTATE and HINT, never
    /// the DETAIL, CONTEXT or query, which can hold row values.
    public var description: String {
        var text = message
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let hint { text += "\nHINT: \(hint)" }
        return text
    }

    /// Everything the server said, and the query.
    public var debugDescription: String {
        var text = description
        if let detail { text += "\nDETAIL: \(detail)" }
        if let context { text += "\nCONTEXT: \(context)" }
        if let query { text += "\nQUERY: \(query)" }
        return text
    }
}

/// The small interface everything outside `Postgres/` uses to talk to the database.
/// One session is one connection; it is owned by one worker and never shared between tasks.
public protocol DatabaseSession: AnyObject {
    /// Runs one statement with bind parameters (`$1`, `$2`, ...; nil is NULL), text results.
    @discardableResult
    func execute(_ sql: String, _ parameters: [String?]) throws(DatabaseError) -> QueryResult
    /// Runs a script of one or more statements with the simple query protocol; returns the
    /// result of the last statement.
    @discardableResult
    func executeScript(_ sql: String) throws(DatabaseError) -> QueryResult
    /// Runs statements, each exactly one SQL statement, in one round trip: one simple-query
    /// message, run in order until one fails (the server skips the rest). Returns one result per
    /// statement. An error names the statement (`statementIndex`, `query`) and its `position` is
    /// within that statement. Statements outside an explicit `begin` share one implicit
    /// transaction: a failure rolls back the batch's earlier statements too.
    func executeBatch(_ statements: [String]) throws(DatabaseError) -> [QueryResult]
    /// Runs `COPY ... FROM STDIN` and streams the data from `chunks` (called until it returns nil).
    /// On any error the copy is aborted and nothing is committed by it. Returns rows copied.
    func copyIn(_ copySQL: String, chunks: () throws -> [UInt8]?) throws -> Int
    /// Asks the server to cancel the statement in progress (safe from another thread).
    func cancel()
    /// Whether the connection is still up, checked without a round trip: a backend that ended
    /// (terminated, timed out, cut off) is noticed once its end reaches the socket.
    var isAlive: Bool { get }
}

extension DatabaseSession {
    public var isAlive: Bool { true }

    /// One statement after the other, one round trip each (for sessions without a batch of their own).
    public func executeBatch(_ statements: [String]) throws(DatabaseError) -> [QueryResult] {
        var results: [QueryResult] = []
        for (index, statement) in statements.enumerated() {
            do {
                results.append(try executeScript(statement))
            } catch {
                var located = error
                located.statementIndex = index
                throw located
            }
        }
        return results
    }

    @discardableResult
    public func execute(_ sql: String) throws(DatabaseError) -> QueryResult { try execute(sql, []) }
}
