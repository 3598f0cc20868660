import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// `sqlt snapshot` failures: a run that fails inside its transaction leaves the snapshot table as
/// it was; a bad configuration is a compile error (exit 2) at the snapshot's file:line:col.
@Suite(.serialized) struct SnapshotCommandTests {
    static func project(_ files: [String: String]) throws -> URL {
        try TemporaryProject.write(files, prefix: "snapshot")
    }

    @Test func aFailedRunLeavesTheSnapshotAsItWas() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let project = try Self.project([
                "dbt_project.yml": "name: hr\n",
                "models/sources.yml":
                    "version: 2\nsources:\n  - name: raw\n    schema: \(schema)\n    tables: [{name: people}]\n",
                "snapshots/people.sql": """
                {% snapshot people_history %}
                {{ config(unique_key='id', strategy='timestamp', updated_at='updated_at', hard_deletes='invalidate',
                          post_hook="{% if var('fail', false) %}select 1 / 0{% endif %}") }}
                select * from {{ source('raw', 'people') }}
                {% endsnapshot %}
                """,
            ])
            defer { try? FileManager.default.removeItem(at: project) }
            func sqlt(_ arguments: [String]) throws -> SqltProcess.Outcome {
                try SqltProcess.run(arguments + ["--database-url", settings.url(), "--project-dir", project.path])
            }
            try connection.executeScript(
                """
                create table people (id integer, bu text, updated_at timestamp);
                insert into people values (1, 'Sales', '2024-01-01'), (2, 'Ops', '2024-01-01');
                """)
            let first = try sqlt(["snapshot"])
            #expect(first.exitCode == 0, "\(first.stdout)\(first.stderr)")
            #expect(first.stdout.contains("OK snapshotted \(schema).people_history"))
            // OpenLineage: a START and a COMPLETE event for the snapshot, with its column lineage.
            let events = try String(
                contentsOf: project.appendingPathComponent("target/lineage/events.jsonl"), encoding: .utf8
            )
            .split(separator: "\n").filter { $0.contains("people_history") }
            #expect(events.count == 2)
            #expect(events.last?.contains("\"eventType\":\"COMPLETE\"") == true)
            #expect(events.last?.contains("columnLineage") == true)
            let history =
                "select id, bu, dbt_valid_from::text, coalesce(dbt_valid_to::text, '-') from people_history order by 1, 3"
            let before = try connection.execute(history).rows
            #expect(before.count == 2)

            try connection.executeScript(
                "update people set bu = 'Tech', updated_at = '2024-02-01' where id = 1; delete from people where id = 2;"
            )
            let failed = try sqlt(["snapshot", "--vars", "{fail: true}"])
            #expect(failed.exitCode == 1)
            #expect(failed.stdout.contains("division by zero"), "\(failed.stdout)")
            #expect(try connection.execute(history).rows == before)

            let again = try sqlt(["snapshot"])
            #expect(again.exitCode == 0, "\(again.stdout)\(again.stderr)")
            let after = try connection.execute(history).rows
            #expect(after.count == 3)
            #expect(after[0] == ["1", "Sales", "2024-01-01 00:00:00", "2024-02-01 00:00:00"])
            #expect(after[1] == ["1", "Tech", "2024-02-01 00:00:00", "-"])
            #expect(after[2][0] == "2" && after[2][3] != "-")

            // --empty reads no source row: it must not close every version.
            let empty = try sqlt(["build", "--empty"])
            #expect(empty.exitCode == 0, "\(empty.stdout)\(empty.stderr)")
            #expect(empty.stdout.contains("NO-OP (--empty)"))
            #expect(try connection.execute(history).rows == after)
        }
    }

    @Test func badConfigurationExitsTwoAtTheFile() throws {
        let project = try Self.project([
            "dbt_project.yml": "name: hr\n",
            "snapshots/people.sql":
                "\n\n{% snapshot people_history %}\n{{ config(unique_key='id', strategy='timestamp') }}\nselect 1 as id\n{% endsnapshot %}\n",
        ])
        defer { try? FileManager.default.removeItem(at: project) }
        let outcome = try SqltProcess.run([
            "snapshot", "--project-dir", project.path, "--database-url", "postgresql://nobody@127.0.0.1:1/none",
        ])
        #expect(outcome.exitCode == 2)
        #expect(
            outcome.stderr.contains("snapshots/people.sql:3:1: error: the timestamp strategy needs 'updated_at'"),
            "\(outcome.stderr)")
    }

    @Test func rgpdFollowsAKeyRenamedInASnapshot() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let project = try Self.project([
                "dbt_project.yml": "name: hr\n",
                "seeds/people.csv": "id_salarie,bu\n1,Sales\n2,Ops\n",
                "seeds/props.yml":
                    "version: 2\nseeds:\n  - name: people\n    columns:\n      - {name: id_salarie, meta: {pii: indirect}}\n",
                "snapshots/history.sql": """
                {% snapshot people_history %}
                {{ config(unique_key='employee', strategy='check', check_cols='all') }}
                select id_salarie as employee, bu from {{ ref('people') }}
                {% endsnapshot %}
                """,
                "snapshots/props.yml":
                    "version: 2\nsnapshots:\n  - name: people_history\n    columns:\n      - {name: employee, meta: {pii: indirect}}\n",
            ])
            defer { try? FileManager.default.removeItem(at: project) }
            func sqlt(_ arguments: String...) throws -> String {
                let outcome = try SqltProcess.run(
                    arguments + ["--database-url", settings.url(), "--project-dir", project.path])
                #expect(
                    outcome.exitCode == 0,
                    "sqlt \(arguments.joined(separator: " ")) failed:\n\(outcome.stdout)\(outcome.stderr)")
                return outcome.stdout
            }
            _ = try sqlt("build")
            let exported = try RGPDFlagshipTests.counts(try sqlt("rgpd", "export", "--subject", "id_salarie=1"))
            #expect(exported["snapshot.hr.people_history"] == 1)
            _ = try sqlt("rgpd", "forget", "--subject", "id_salarie=1")
            #expect(
                try connection.execute("select employee from \(qualifiedName(schema, "people_history")) order by 1")
                    .rows == [["2"]])
        }
    }
}
