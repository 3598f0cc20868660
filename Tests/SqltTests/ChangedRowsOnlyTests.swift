import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// `test_changed_rows_only` on an incremental model through the `sqlt` binary on a real
/// PostgreSQL: after a first build its tests see every row, after an incremental run only the
/// rows the run wrote, `unique` comparing those rows with the whole table; off, the same tests
/// see the whole table again.
@Suite(.serialized) struct ChangedRowsOnlyTests {
    static func project(schema: String) throws -> URL {
        try TemporaryProject.write(
            [
                "dbt_project.yml": "name: shop\nprofile: shop\n",
                "models/events.sql": """
                {{ config(materialized='incremental', unique_key='id', incremental_strategy='merge',
                          test_changed_rows_only=var('changed_only', true)) }}
                select id, code, category, amount, loaded_at from {{ source('raw', 'events') }}
                {% if is_incremental() %}
                where loaded_at > (select max(loaded_at) from {{ this }})
                {% endif %}
                """,
                "models/schema.yml": """
                version: 2
                sources:
                  - name: raw
                    schema: \(schema)_raw
                    tables: [{name: events}]
                models:
                  - name: events
                    columns:
                      - name: id
                        data_tests: [unique, not_null]
                      - name: code
                        data_tests: [unique]
                      - name: category
                        data_tests:
                          - accepted_values:
                              values: [a, b]
                      - name: amount
                        data_tests: [not_null]
                """,
            ], prefix: "changedrows")
    }

    /// The unique ids of the tests that failed in the latest invocation.
    static func failures(_ project: URL) throws -> Set<String> {
        let data = try Data(contentsOf: project.appendingPathComponent("target/run_results.json"))
        let results = try JSONDecoder().decode(JSONValue.self, from: data)["results"]?.arrayValue ?? []
        var failing: Set<String> = []
        for result in results where result["status"]?.stringValue == "fail" {
            failing.insert(result["unique_id"]?.stringValue ?? "")
        }
        return failing
    }

    @Test func testsReadTheChangedRowsAndUniqueComparesThemWithTheWholeTable() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let project = try Self.project(schema: schema)
            defer { try? FileManager.default.removeItem(at: project) }
            let events = qualifiedName(schema, "events")
            let source = qualifiedName(schema + "_raw", "events")
            _ = try connection.execute("create schema \(quoteIdentifier(schema + "_raw"))")
            _ = try connection.execute(
                """
                create table \(source) (id int, code text, category text, amount int, loaded_at timestamp)
                """)
            _ = try connection.execute(
                """
                insert into \(source) values (1, 'A', 'a', 10, '2026-01-01 10:00'), (2, 'B', 'b', 20, '2026-01-01 10:00'),
                    (3, 'C', 'a', 30, '2026-01-01 10:00')
                """)
            func sqlt(_ arguments: [String]) throws -> SqltProcess.Outcome {
                try SqltProcess.run(arguments + ["--database-url", settings.url(), "--project-dir", project.path])
            }
            let changes = qualifiedName(schema, ChangedRowsScope.tableName("events"))

            // First build: the tests see every row (the changes table says so).
            let first = try sqlt(["build"])
            #expect(first.exitCode == 0, "\(first.stdout)\(first.stderr)")
            #expect(try connection.execute("select sqlt_all_rows::text, id from \(changes)").rows == [["true", nil]])

            // A row the next run does not write is broken behind the model's back; the run writes
            // one good row: its tests pass, since they read only that row.
            _ = try connection.execute("update \(events) set category = 'zzz' where id = 1")
            _ = try connection.execute("insert into \(source) values (4, 'D', 'b', 40, '2026-01-02 10:00')")
            let second = try sqlt(["build"])
            #expect(second.exitCode == 0, "\(second.stdout)\(second.stderr)")
            #expect(
                try connection.execute("select id::text, sqlt_all_rows::text from \(changes)").rows == [["4", "false"]])
            #expect(try Self.failures(project).isEmpty)

            // Off: the same tests read the whole table and see the broken row.
            let whole = try sqlt(["test", "--vars", "{changed_only: false}"])
            #expect(whole.exitCode == 1)
            #expect(try Self.failures(project).contains { $0.hasPrefix("test.shop.accepted_values_events_category") })

            // A written row whose code duplicates an unchanged row's (id 2, 'B'), and one with a
            // null amount: unique and not_null fail, the broken unchanged row is still not read.
            _ = try connection.execute(
                "insert into \(source) values (5, 'B', 'a', 50, '2026-01-03 10:00'), (6, 'F', 'a', null, '2026-01-03 10:00')"
            )
            let third = try sqlt(["build"])
            #expect(third.exitCode == 1)
            let failing = try Self.failures(project)
            #expect(failing.count == 2, "\(failing)")
            #expect(failing.contains { $0.hasPrefix("test.shop.unique_events_code") })
            #expect(failing.contains { $0.hasPrefix("test.shop.not_null_events_amount") })
            // The rows were written (a failed test does not undo the model) and recorded.
            #expect(
                try connection.execute("select id::text from \(changes) order by id").rows == [["5"], ["6"]])
        }
    }
}
