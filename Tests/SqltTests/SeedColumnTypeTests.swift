import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// An unknown seed `column_types` type (issue 14 item 8) is a configuration error at the YAML
/// line where it is written, exit 2, found before the run changes anything (no on-run-start
/// hook, no seed loaded, not even the good one beside it).
@Suite(.serialized) struct SeedColumnTypeTests {
    @Test func unknownTypeInAPropertyFileIsAnErrorAtItsLine() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let project = try TemporaryProject.write(
                [
                    "dbt_project.yml": "name: hr\non-run-start: [\"create table hook_ran (x int)\"]\n",
                    "seeds/pay.csv": "id,amount\n1,10.5\n",
                    "seeds/units.csv": "id,code\n1,A\n",
                    "seeds/_seeds.yml": """
                    version: 2
                    seeds:
                      - name: pay
                        config:
                          column_types:
                            id: integer
                            amount: nosuchtype
                      - name: units
                        config:
                          column_types: {code: varchar(4), id: "numeric(10,2)"}
                    """,
                ], prefix: "seedtypes")
            defer { try? FileManager.default.removeItem(at: project) }
            let outcome = try SqltProcess.run([
                "seed", "--database-url", settings.url(), "--project-dir", project.path,
            ])
            #expect(outcome.exitCode == 2, "\(outcome.stdout)\(outcome.stderr)")
            #expect(outcome.stderr.contains("seeds/_seeds.yml:7:17: error:"), "\(outcome.stderr)")
            #expect(outcome.stderr.contains("column 'amount'"))
            #expect(outcome.stderr.contains("nosuchtype"))
            let relations = try connection.execute(
                "select count(*)::text from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1",
                [schema]
            ).scalar
            #expect(relations == "0")

            // Fixed, both load with the types written (checked by the server, not by a list).
            let fixed = try String(contentsOf: project.appendingPathComponent("seeds/_seeds.yml"), encoding: .utf8)
                .replacingOccurrences(of: "nosuchtype", with: "double precision")
            try Data(fixed.utf8).write(to: project.appendingPathComponent("seeds/_seeds.yml"))
            let good = try SqltProcess.run(["seed", "--database-url", settings.url(), "--project-dir", project.path])
            #expect(good.exitCode == 0, "\(good.stdout)\(good.stderr)")
            let types = try connection.execute(
                "select table_name || '.' || column_name || ' ' || data_type from information_schema.columns where table_schema = $1 order by 1",
                [schema]
            ).rows.map { $0[0] ?? "" }
            #expect(
                types == [
                    "pay.amount double precision", "pay.id integer", "units.code character varying", "units.id numeric",
                ])
        }
    }

    @Test func unknownTypeInTheProjectFileIsAnErrorThere() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let project = try TemporaryProject.write(
                [
                    "dbt_project.yml": """
                    name: hr
                    seeds:
                      hr:
                        pay:
                          +column_types:
                            amount: "int int"
                    """,
                    "seeds/pay.csv": "id,amount\n1,10\n",
                ], prefix: "seedtypes")
            defer { try? FileManager.default.removeItem(at: project) }
            let outcome = try SqltProcess.run([
                "build", "--database-url", settings.url(), "--project-dir", project.path,
            ])
            #expect(outcome.exitCode == 2, "\(outcome.stdout)\(outcome.stderr)")
            #expect(outcome.stderr.contains("dbt_project.yml:6:17: error:"), "\(outcome.stderr)")
            let relations = try connection.execute(
                "select count(*)::text from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1",
                [schema]
            ).scalar
            #expect(relations == "0")
        }
    }
}
