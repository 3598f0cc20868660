import Foundation
import ModelRunner
import TestSupport
import Testing

@Suite("PostgresConnection")
struct PostgresConnectionTests {
    @Test func reportsServerVersionAndSearchPath() async throws {
        try await TestDatabase.withSchema { connection, schema, _ in
            #expect(connection.serverVersion.hasPrefix("15."))
            let path = try connection.execute("SELECT current_schema()").scalar
            #expect(path == schema)
            let application = try connection.execute("SHOW application_name").scalar
            #expect(application == "sqlt")
        }
    }

    @Test func executesWithParametersIncludingNullAndQuotes() async throws {
        try await TestDatabase.withSchema { connection, _, _ in
            try connection.execute("CREATE TABLE items (id int, label text)")
            let tricky = "it's \"quoted\"; DROP TABLE items; -- \\ é"
            let insert = try connection.execute(
                "INSERT INTO items VALUES ($1, $2), ($3, $4)", ["1", tricky, "2", nil])
            #expect(insert.commandTag == "INSERT 0 2")
            #expect(insert.rowsAffected == 2)
            let result = try connection.execute("SELECT id, label FROM items ORDER BY id")
            #expect(result.columns.map(\.name) == ["id", "label"])
            #expect(result.columns.map(\.typeOID) == [23, 25])
            #expect(result.rows == [["1", tricky], ["2", nil]])
            #expect(result.values("label") == [tricky, nil])
        }
    }

    @Test func errorCarriesSQLStateAndPosition() async throws {
        try await TestDatabase.withSchema { connection, _, _ in
            let sql = "SELECT 1 FROM no_such_table"
            let error = try #require(throws: DatabaseError.self) { try connection.execute(sql) }
            #expect(error.sqlState == "42P01")
            #expect(error.severity == "ERROR")
            #expect(error.message == "relation \"no_such_table\" does not exist")
            #expect(error.position == 15)
            #expect(error.query == sql)
            // The connection is still usable after an error.
            #expect(try connection.execute("SELECT 2").scalar == "2")
        }
    }

    @Test func scriptRunsSeveralStatementsAndStopsAtTheFailingOne() async throws {
        try await TestDatabase.withSchema { connection, _, _ in
            let last = try connection.executeScript(
                "CREATE TABLE a (x int); INSERT INTO a VALUES (1), (2); SELECT count(*) FROM a")
            #expect(last.scalar == "2")
            let error = try #require(throws: DatabaseError.self) {
                try connection.executeScript("INSERT INTO a VALUES (3); INSERT INTO a VALUES ('x')")
            }
            #expect(error.sqlState == "22P02")
            #expect(error.position != nil)
            // A multi-statement simple query runs as one transaction: the first insert is gone too.
            #expect(try connection.execute("SELECT count(*) FROM a").scalar == "2")
        }
    }

    @Test func batchReturnsOneResultPerStatement() async throws {
        try await TestDatabase.withSchema { connection, _, _ in
            let results = try connection.executeBatch([
                "begin", "CREATE TABLE b (x int) -- a trailing comment", "INSERT INTO b VALUES (1), (2)",
                "SELECT count(*) FROM b", "commit",
            ])
            #expect(results.map(\.commandTag) == ["BEGIN", "CREATE TABLE", "INSERT 0 2", "SELECT 1", "COMMIT"])
            #expect(results[3].scalar == "2")
            #expect(try connection.execute("SELECT count(*) FROM b").scalar == "2")
        }
    }

    @Test func batchErrorNamesTheStatementAndThePositionWithinIt() async throws {
        try await TestDatabase.withSchema { connection, _, _ in
            try connection.execute("CREATE TABLE b (x int)")
            let failing = "INSERT INTO b\nSELECT y FROM b"
            let error = try #require(throws: DatabaseError.self) {
                try connection.executeBatch(["INSERT INTO b VALUES (1)", failing, "INSERT INTO b VALUES (3)"])
            }
            #expect(error.sqlState == "42703")
            #expect(error.statementIndex == 1)
            #expect(error.query == failing)
            // `y` is the 22nd character of the failing statement, not of the whole message.
            #expect(error.position == 22)
            // Without a `begin` the batch is one implicit transaction: the first insert is gone
            // too, and the server ran nothing after the failed statement.
            #expect(try connection.execute("SELECT count(*) FROM b").scalar == "0")

            // Inside `begin`, the transaction is left aborted (the caller rolls back) and the
            // `commit` after the failed statement never runs.
            let inTransaction = try #require(throws: DatabaseError.self) {
                try connection.executeBatch(["begin", "INSERT INTO b VALUES (1)", "SELECT 1/0", "commit"])
            }
            #expect(inTransaction.statementIndex == 2)
            #expect(inTransaction.sqlState == "22012")
            #expect(throws: DatabaseError.self) { try connection.execute("SELECT 1") }
            try connection.executeScript("rollback")
            #expect(try connection.execute("SELECT count(*) FROM b").scalar == "0")
        }
    }

    @Test func copyInStreamsRows() async throws {
        try await TestDatabase.withSchema { connection, _, _ in
            try connection.execute("CREATE TABLE c (id int, name text)")
            var chunks = [Array("1\talpha\n2\tbeta\n".utf8), Array("3\t\\N\n".utf8)]
            let rows = try connection.copyIn("COPY c FROM STDIN") { chunks.isEmpty ? nil : chunks.removeFirst() }
            #expect(rows == 3)
            let result = try connection.execute("SELECT id, name FROM c ORDER BY id")
            #expect(result.rows == [["1", "alpha"], ["2", "beta"], ["3", nil]])
        }
    }

    struct ChunkFailure: Error {}

    @Test func abortedCopyLeavesNothing() async throws {
        try await TestDatabase.withSchema { connection, _, _ in
            try connection.execute("CREATE TABLE c (id int)")
            var sent = 0
            #expect(throws: ChunkFailure.self) {
                try connection.copyIn("COPY c FROM STDIN") {
                    sent += 1
                    if sent > 2 { throw ChunkFailure() }
                    return Array("\(sent)\n".utf8)
                }
            }
            #expect(try connection.execute("SELECT count(*) FROM c").scalar == "0")
        }
    }

    @Test func badCopyDataIsAServerError() async throws {
        try await TestDatabase.withSchema { connection, _, _ in
            try connection.execute("CREATE TABLE c (id int)")
            var chunks = [Array("1\nnot a number\n".utf8)]
            let error = try #require(throws: DatabaseError.self) {
                try connection.copyIn("COPY c FROM STDIN") { chunks.isEmpty ? nil : chunks.removeFirst() }
            }
            #expect(error.sqlState == "22P02")
            #expect(error.kind == .server)
            // The server's CONTEXT names the rejected record: the seed loader maps it to the file line.
            #expect(error.context?.contains("COPY c, line 2") == true)
            #expect(try connection.execute("SELECT count(*) FROM c").scalar == "0")
        }
    }

    /// DETAIL can hold row values (personal data): only the debug form prints it.
    @Test func descriptionLeavesOutTheServerDetail() async throws {
        try await TestDatabase.withSchema { connection, _, _ in
            try connection.execute("CREATE TABLE p (email text primary key)")
            try connection.execute("INSERT INTO p VALUES ('ada@example.org')")
            let error = try #require(throws: DatabaseError.self) {
                try connection.execute("INSERT INTO p VALUES ('ada@example.org')")
            }
            #expect(error.sqlState == "23505")
            #expect(error.detail?.contains("ada@example.org") == true)
            #expect(!error.description.contains("ada@example.org"))
            #expect(error.debugDescription.contains("DETAIL: Key (email)=(ada@example.org) already exists."))
            #expect(error.debugDescription.contains("QUERY: INSERT INTO p"))
        }
    }

    @Test func cancelFromAnotherThreadStopsASleep() async throws {
        try await TestDatabase.withSchema { connection, _, _ in
            let canceller = Thread {
                // Keep sending until the statement is seen running, then cancel it.
                let probe = try? PostgresConnection(settings: connection.settings)
                defer { probe?.close() }
                for _ in 0..<200 {
                    let active = try? probe?.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(10)' AND state = 'active'"
                    ).scalar
                    if active == "1" { break }
                    usleep(20_000)
                }
                connection.cancel()
            }
            canceller.start()
            let error = try #require(throws: DatabaseError.self) { try connection.execute("SELECT pg_sleep(10)") }
            #expect(error.sqlState == "57014")
            #expect(try connection.execute("SELECT 1").scalar == "1")
        }
    }

    @Test func statementTimeoutFromSettings() async throws {
        try await TestDatabase.withSchema { _, _, settings in
            var limited = settings
            limited.statementTimeout = 50
            let connection = try PostgresConnection(settings: limited)
            defer { connection.close() }
            #expect(try connection.execute("SHOW statement_timeout").scalar == "50ms")
            let error = try #require(throws: DatabaseError.self) { try connection.execute("SELECT pg_sleep(5)") }
            #expect(error.sqlState == "57014")
        }
    }

    @Test func failedConnectionNamesTheTargetButNotThePassword() throws {
        let settings = ConnectionSettings(
            host: "/tmp/sqlt-no-such-socket-folder", port: 5999, user: "alice", password: "s3cret-pw",
            dbname: "warehouse")
        let error = try #require(throws: DatabaseError.self) { try PostgresConnection(settings: settings) }
        #expect(error.message.contains("/tmp/sqlt-no-such-socket-folder"))
        #expect(error.message.contains("5999"))
        #expect(error.message.contains("alice"))
        #expect(error.message.contains("warehouse"))
        #expect(error.message.contains("No such file or directory"))
        #expect(!error.message.contains("s3cret-pw"))
        #expect(error.kind == .connectFailed)
        #expect(error.sqlState == nil)
    }

    @Test func closedConnectionFailsClearly() async throws {
        try await TestDatabase.withSchema { _, _, settings in
            let connection = try PostgresConnection(settings: settings)
            #expect(connection.isOpen)
            connection.close()
            #expect(!connection.isOpen)
            let error = try #require(throws: DatabaseError.self) { try connection.execute("SELECT 1") }
            #expect(error.message.contains("closed"))
            #expect(error.kind == .connectionClosed)
            #expect(error.sqlState == nil, "a client-side error has no made-up SQLSTATE")
        }
    }
}
