import CPgQuery
import Testing

@testable import ModelCompiler

@Suite struct PgQueryTests {
    @Test func pgQueryParseReturnsJSONForValidQuery() throws {
        let result = pg_query_parse("select id from customers")
        defer { pg_query_free_parse_result(result) }
        #expect(result.error == nil)
        let tree = try #require(result.parse_tree.map { String(cString: $0) })
        #expect(tree.contains("\"SelectStmt\""))
        #expect(tree.contains("\"relname\":\"customers\""))
    }

    @Test func pgQueryParseReportsCursorPosition() throws {
        let result = pg_query_parse("select * fro x")
        defer { pg_query_free_parse_result(result) }
        let error = try #require(result.error?.pointee)
        #expect(String(cString: error.message) == "syntax error at or near \"fro\"")
        #expect(error.cursorpos == 10)
    }

    @Test func syntaxErrorPosition() {
        #expect(throws: SQLSyntaxError(message: "syntax error at or near \"fro\"", position: 10, utf8Offset: 9)) {
            try SQLParser.parse("select * fro x")
        }
    }

    @Test func syntaxErrorOffsetCountsCharactersNotBytes() throws {
        // "é" is one character but two UTF-8 bytes; PostgreSQL reports character positions.
        // `fro` is read as a column alias, so the error is at `x`: character 16, byte offset 16.
        let sql = "select 'é' fro x"
        do {
            _ = try SQLParser.parse(sql)
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.position == 16)
            #expect(error.utf8Offset == 16)
            let index = sql.utf8.index(sql.utf8.startIndex, offsetBy: error.utf8Offset)
            #expect(sql[index...].hasPrefix("x"))
        }
    }

    @Test func multiLineSyntaxErrorMapsToLine() throws {
        let sql = """
            with orders as (
                select id, amount
                from raw.orders
            )
            select id,, amount
            from orders
            """
        do {
            _ = try SQLParser.parse(sql)
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.message == "syntax error at or near \",\"")
            let location = SourceLocation.at(utf8Offset: error.utf8Offset, in: sql, file: "models/m.sql")
            #expect(location == SourceLocation(file: "models/m.sql", line: 5, column: 11))
            let diagnostic = error.diagnostic(in: sql, file: "models/m.sql")
            #expect(diagnostic.description == "models/m.sql:5:11: error: syntax error at or near \",\"")
        }
    }

    @Test func errorAtEndOfInput() throws {
        do {
            _ = try SQLParser.parse("select (1")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.message == "syntax error at end of input")
            #expect(error.position == 10)
            #expect(error.utf8Offset == 9)
        }
    }

    @Test func parsesSelectIntoTypedTree() throws {
        let parsed = try SQLParser.parse("select a.id as key, \"Weird Name\" from s.t as a where a.x > 1")
        let query = try #require(parsed.query)
        #expect(query.targets.count == 2)
        #expect(query.targets[0].name == "key")
        #expect(
            query.targets[1].value == .column(SQLColumnReference(parts: ["Weird Name"], isStar: false, location: 20)))
        #expect(
            query.from == [.relation(schema: "s", name: "t", alias: SQLAlias(name: "a", columnNames: []), location: 38)]
        )
        #expect(query.whereClause != nil)
    }

    @Test func nonSelectStatementIsKeptByKind() throws {
        let parsed = try SQLParser.parse("create table t (id int)")
        #expect(parsed.statements == [.other("CreateStmt")])
        #expect(parsed.query == nil)
    }

    @Test func decodesEscapedStrings() throws {
        let parsed = try SQLParser.parse("select 1 as \"a\"\"b\\\\c\u{00e9}\u{1F600}\"")
        #expect(parsed.query?.targets.first?.name == "a\"b\\\\c\u{00e9}\u{1F600}")
    }
}
