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

    /// Where each statement of SQL that parses starts (its first non-blank byte); empty when the SQL
    /// does not parse. A model is one statement: a second one is an error in the model itself, not
    /// in the unit test or the materialization that wraps it.
    static func statementStarts(_ sql: String) -> [Int] {
        let result = pg_query_split_with_parser(sql)
        defer { pg_query_free_split_result(result) }
        guard result.error == nil, let statements = result.stmts else { return [] }
        let bytes = Array(sql.utf8)
        return (0..<Int(result.n_stmts)).compactMap { index in
            guard let statement = statements[index] else { return nil }
            var offset = Int(statement.pointee.stmt_location)
            while offset < bytes.count,
                bytes[offset] == 0x20 || bytes[offset] == 0x0A || bytes[offset] == 0x09 || bytes[offset] == 0x0D
            {
                offset += 1
            }
            return offset
        }
    }
}
