import Foundation
import Testing
import TestSupport

@testable import ModelRunner

/// libpq through PostgresConnection on a real server.
@Suite struct PostgresConnectionTests {
    @Test func parametersNullsAndQuotes() async throws {
        try await TestDatabase.withSchema { connection, _, _ in
            let result = try connection.execute("select $1::text as a, $2::text as b, $3::int + 1 as c", ["it's \"quoted\"", nil, "41"])
            #expect(result.columns.map(\.name) == ["a", "b", "c"])
            #expect(result.rows == [["it's \"quoted\"", nil, "42"]])
            try connection.executeScript("create table t (id int primary key); insert into t values (1), (2)")
            #expect(try connection.execute("delete from t where id > $1", ["0"]).rowsAffected == 2)
        }
    }

    @Test func serverErrorsCarryTheirFields() async throws {
        try await TestDatabase.withSchema { connection, _, _ in
            do throws(DatabaseError) {
                try connection.execute("select nope from missing_table")
                Issue.record("expected an error")
            } catch {
                #expect(error.sqlState == "42P01")
                #expect(error.message == "relation \"missing_table\" does not exist")
                #expect(error.position == 18)
                #expect(error.query == "select nope from missing_table")
            }
        }
    }

    @Test func copyInLoadsRowsAndAnAbortedCopyLeavesNothing() async throws {
        try await TestDatabase.withSchema { connection, _, _ in
            try connection.executeScript("create table c (id int, name text)")
            var chunks = [Array("1,a\n2,b\n".utf8), Array("3,\"c, d\"\n".utf8)]
            let rows = try connection.copyIn("copy c from stdin with (format csv)") { chunks.isEmpty ? nil : chunks.removeFirst() }
            #expect(rows == 3)
            struct Broken: Error {}
            var sent = false
            #expect(throws: Broken.self) {
                try connection.copyIn("copy c from stdin with (format csv)") {
                    if sent { throw Broken() }
                    sent = true
                    return Array("4,e\n".utf8)
                }
            }
            #expect(try connection.execute("select count(*) from c").scalar == "3")
        }
    }

    @Test func cancelStopsARunningQuery() async throws {
        try await TestDatabase.withSchema { connection, _, _ in
            let canceller = connection
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { canceller.cancel() }
            do throws(DatabaseError) {
                try connection.execute("select pg_sleep(20)")
                Issue.record("expected a cancellation")
            } catch {
                #expect(error.sqlState == "57014")
            }
            // The connection is usable afterwards.
            let one = try connection.execute("select 1").scalar
            #expect(one == "1")
        }
    }
}
