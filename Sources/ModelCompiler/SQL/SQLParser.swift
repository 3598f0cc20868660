import CPgQuery

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A SQL syntax error reported by PostgreSQL's parser.
public struct SQLSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// PostgreSQL's message, for example `syntax error at or near "fro"`.
    public let message: String
    /// 1-based character position (libpg_query's `cursorpos`); 0 when the parser gave none.
    public let position: Int
    /// 0-based UTF-8 byte offset of the same position in the parsed SQL.
    public let utf8Offset: Int

    public init(message: String, position: Int, utf8Offset: Int) {
        self.message = message
        self.position = position
        self.utf8Offset = utf8Offset
    }

    public var description: String { message }

    /// A `sql.syntax` diagnostic at the error's line and column in `sql`, read from `file`.
    public func diagnostic(in sql: String, file: String) -> Diagnostic {
        .error("sql.syntax", message, at: SourceLocation.at(utf8Offset: utf8Offset, in: sql, file: file))
    }
}

/// The result of parsing SQL: the typed statements.
public struct ParsedSQL: Sendable, Hashable {
    public let statements: [SQLStatement]

    public init(statements: [SQLStatement]) {
        self.statements = statements
    }

    /// The single query of the text, when it is exactly one `SELECT` (or `WITH`/`VALUES`/set operation).
    public var query: SQLSelect? {
        guard statements.count == 1, case .select(let select) = statements[0] else { return nil }
        return select
    }
}

/// Parses SQL with PostgreSQL's own parser (libpg_query).
public enum SQLParser {
    /// Parses SQL; a syntax error throws SQLSyntaxError with message and 1-based character position (cursorpos) and the utf8 offset.
    public static func parse(_ sql: String) throws(SQLSyntaxError) -> ParsedSQL {
        let outcome: Result<ParsedSQL, SQLSyntaxError> = sql.withCString { text in
            let result = pg_query_parse(text)
            defer { pg_query_free_parse_result(result) }
            if let error = result.pointee(\.error) {
                let message = error.message.map { String(cString: $0) } ?? "syntax error"
                let position = Int(error.cursorpos)
                return .failure(
                    SQLSyntaxError(
                        message: message, position: position, utf8Offset: utf8Offset(ofCharacter: position, in: sql)))
            }
            guard let tree = result.parse_tree else { return .success(ParsedSQL(statements: [])) }
            let length = strlen(tree)
            let bytes = UnsafeBufferPointer(
                start: UnsafeRawPointer(tree).assumingMemoryBound(to: UInt8.self), count: length)
            do {
                let tape = try PgJSONTape(bytes)
                return .success(ParsedSQL(statements: SQLTreeDecoder(tape: tape).statements()))
            } catch {
                return .failure(
                    SQLSyntaxError(message: "unreadable parse tree from libpg_query", position: 0, utf8Offset: 0))
            }
        }
        return try outcome.get()
    }

    /// The UTF-8 offset of a 1-based character (Unicode scalar) position, as PostgreSQL counts them.
    static func utf8Offset(ofCharacter position: Int, in sql: String) -> Int {
        guard position > 1 else { return 0 }
        var remaining = position - 1
        var offset = 0
        for scalar in sql.unicodeScalars {
            if remaining == 0 { break }
            offset += UTF8.width(scalar)
            remaining -= 1
        }
        return offset
    }
}

extension PgQueryParseResult {
    fileprivate func pointee(
        _ keyPath: KeyPath<PgQueryParseResult, UnsafeMutablePointer<PgQueryError>?>
    ) -> PgQueryError? {
        self[keyPath: keyPath]?.pointee
    }
}
