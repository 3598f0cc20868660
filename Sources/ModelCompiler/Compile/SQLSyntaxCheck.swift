import CPgQuery

/// Checks compiled SQL with PostgreSQL's own parser (libpg_query) before any database work.
/// Uses the parser-backed statement splitter, which parses fully but returns no tree.
enum SQLSyntaxCheck {
    struct Problem: Sendable {
        var message: String
        /// Byte offset of the error in the SQL (UTF-8).
        var utf8Offset: Int
    }

    /// Nil when the SQL parses.
    static func check(_ sql: String) -> Problem? {
        let result = pg_query_split_with_parser(sql)
        defer { pg_query_free_split_result(result) }
        guard let error = result.error else { return nil }
        let message = error.pointee.message.map { String(cString: $0) } ?? "syntax error"
        // cursorpos is 1-based, counted in bytes by the PostgreSQL scanner.
        let position = max(0, Int(error.pointee.cursorpos) - 1)
        return Problem(message: message, utf8Offset: position)
    }
}
