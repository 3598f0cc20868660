import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// dbt projects through the binary: dbt's built-in macros and `adapter.dispatch` in a run, and the
/// SQL syntax check failing only the commands that execute the broken node.
@Suite(.serialized) struct DbtCompatibilityCommandTests {
    static func project(_ files: [String: String]) throws -> URL {
        try TemporaryProject.write(files, prefix: "dbtcompat")
    }

    static let files: [String: String] = [
        "dbt_project.yml": "name: shop\nprofile: shop\nvars:\n  materialize: table\n",
        "models/days.sql": """
        {{ config(materialized=var('materialize')) }}
        select ({{ dbt.dateadd('day', 'n', "'2024-01-30'::date") }})::date as day, {{ cents_to_dollars('n * 150') }} as dollars
        from generate_series(0, 2) as s(n)
        """,
        "macros/cents.sql": """
        {% macro cents_to_dollars(column) %}{{ return(adapter.dispatch('cents_to_dollars')(column)) }}{% endmacro %}
        {% macro default__cents_to_dollars(column) %}({{ column }} / 100.0)::numeric(16, 2){% endmacro %}
        """,
        "models/broken.sql": "select 1 as x,\n  from nowhere",
    ]

    @Test func builtinMacrosRunAndTheSyntaxCheckFailsOnlyExecutedNodes() async throws {
        let folder = try Self.project(Self.files)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestDatabase.withSchema { connection, schema, settings in
            let url = settings.url()
            // the broken model is not run: a warning, and the run succeeds
            let run = try SqltProcess.run(
                ["run", "--project-dir", folder.path, "--database-url", url, "--select", "days"],
                environment: ["NO_COLOR": "1"])
            #expect(run.exitCode == 0, "\(run.stdout)\n\(run.stderr)")
            #expect(run.stderr.contains("models/broken.sql:2:3: warning: SQL syntax error in compiled model"))
            let rows = try connection.execute(
                "select day::text, dollars::text from \(qualifiedName(schema, "days")) order by day"
            ).rows
            #expect(rows == [["2024-01-30", "0.00"], ["2024-01-31", "1.50"], ["2024-02-01", "3.00"]])
            #expect(
                try connection.execute(
                    "select relkind::text from pg_class where oid = to_regclass($1)", [schema + ".days"]
                ).scalar == "r")

            // compile executes nothing: warnings, exit 0, as dbt compile
            let compile = try SqltProcess.run(
                ["compile", "--project-dir", folder.path, "--database-url", url], environment: ["NO_COLOR": "1"])
            #expect(compile.exitCode == 0, "\(compile.stderr)")
            #expect(compile.stderr.contains("warning: SQL syntax error"))

            // running it is an error before any database work, exit 2
            let all = try SqltProcess.run(
                ["run", "--project-dir", folder.path, "--database-url", url], environment: ["NO_COLOR": "1"])
            #expect(all.exitCode == 2)
            #expect(all.stderr.contains("models/broken.sql:2:3: error: SQL syntax error in compiled model"))
        }
    }
}
