import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// `sqlt test` and `sqlt build` through the binary: a custom generic test, a unit test passing and
/// failing with its diff, warn versus error, a failing test skipping the model's descendants,
/// `sqlt retry`, and exit codes.
@Suite(.serialized) struct TestCommandTests {
    static func project(_ files: [String: String]) throws -> URL {
        try TemporaryProject.write(files, prefix: "testcmd")
    }

    static let files: [String: String] = [
        "sqlt_project.yml": "name: shop\nprofile: shop\n",
        "seeds/orders.csv": "id,amount,status\n1,10,placed\n2,-5,placed\n3,7,shipped\n",
        "models/stg_orders.sql": "select id, amount, status from {{ ref('orders') }}",
        "models/order_totals.sql":
            "{{ config(materialized='table') }}\nselect status, sum(amount) as total from {{ ref('stg_orders') }} group by status",
        "models/report.sql": "select * from {{ ref('order_totals') }}",
        "macros/positive.sql": """
        {% test is_positive(model, column_name) %}
        select * from {{ model }} where {{ column_name }} <= 0
        {% endtest %}
        """,
        "models/schema.yml": """
        version: 2
        models:
          - name: stg_orders
            columns:
              - name: id
                data_tests: [unique, not_null]
              - name: status
                data_tests:
                  - accepted_values:
                      values: [placed, shipped]
                      config: {severity: warn}
          - name: order_totals
            columns:
              - name: total
                data_tests: [is_positive]
        unit_tests:
          - name: totals_add_up
            model: order_totals
            given:
              - input: ref('stg_orders')
                rows:
                  - {id: 1, amount: 10, status: placed}
                  - {id: 2, amount: 5, status: placed}
            expect:
              rows:
                - {status: placed, total: 15}
          - name: totals_wrong_on_purpose
            model: order_totals
            given:
              - input: ref('stg_orders')
                format: csv
                rows: |
                  id,amount,status
                  1,10,placed
            expect:
              rows:
                - {status: placed, total: 11}
        """,
    ]

    @Test func buildSkipsDescendantsOfAFailedTestAndUnitTestsShowTheirDiff() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let folder = try Self.project(Self.files)
            defer { try? FileManager.default.removeItem(at: folder) }
            let url = settings.url()
            let build = try SqltProcess.run(
                ["build", "--project-dir", folder.path, "--database-url", url], environment: ["NO_COLOR": "1"])
            let output = build.stdout + build.stderr
            #expect(build.exitCode == 1, "\(output)")
            // The unit test built to fail shows the expected and the actual rows.
            #expect(output.contains("totals_wrong_on_purpose"))
            #expect(output.contains("placed") && output.contains("11") && output.contains("10"))
            // The passing unit test passes.
            #expect(output.range(of: #"PASS totals_add_up"#) != nil, "\(output)")
            let results = try String(
                contentsOf: folder.appendingPathComponent("target/run_results.json"), encoding: .utf8)
            #expect(results.contains("\"unit_test.shop.order_totals.totals_wrong_on_purpose\""))
            #expect(
                try connection.execute("select count(*) from \(qualifiedName(schema, "order_totals"))").scalar == "2")
        }
    }

    @Test func failingErrorTestSkipsDescendantsAndRetryRunsThemAgain() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var files = Self.files
            files["models/schema.yml"] = """
                version: 2
                models:
                  - name: stg_orders
                    columns:
                      - name: amount
                        data_tests: [is_positive]
                      - name: status
                        data_tests:
                          - accepted_values:
                              values: [placed]
                              config: {severity: warn}
                """
            let folder = try Self.project(files)
            defer { try? FileManager.default.removeItem(at: folder) }
            let url = settings.url()
            let build = try SqltProcess.run(
                ["build", "--project-dir", folder.path, "--database-url", url], environment: ["NO_COLOR": "1"])
            let output = build.stdout + build.stderr
            #expect(build.exitCode == 1, "\(output)")
            #expect(output.contains("FAIL 1 is_positive_stg_orders_amount"), "\(output)")
            #expect(output.contains("WARN 1 accepted_values_stg_orders_status__placed"), "\(output)")
            #expect(output.contains("SKIP"), "\(output)")
            #expect(output.contains("SKIP=2"), "\(output)")
            // The descendants were not built.
            #expect(try connection.execute("select to_regclass($1)::text", ["\(schema).order_totals"]).scalar == nil)

            // Fix the data, retry: only what failed or was skipped runs again.
            try connection.execute("update \(qualifiedName(schema, "orders")) set amount = 5 where id = 2")
            let retry = try SqltProcess.run(
                ["retry", "--project-dir", folder.path, "--database-url", url], environment: ["NO_COLOR": "1"])
            #expect(retry.exitCode == 0, "\(retry.stdout + retry.stderr)")
            #expect(
                try connection.execute("select count(*) from \(qualifiedName(schema, "order_totals"))").scalar == "2")
            #expect(retry.stdout.contains("TOTAL=3"), "\(retry.stdout)")

            // `sqlt test` on good data exits 0; a compile error exits 2.
            #expect(try SqltProcess.run(["test", "--project-dir", folder.path, "--database-url", url]).exitCode == 0)
            try "select * from {{ ref('nope') }}".write(
                to: folder.appendingPathComponent("models/bad.sql"), atomically: true, encoding: .utf8)
            let bad = try SqltProcess.run(["test", "--project-dir", folder.path, "--database-url", url])
            #expect(bad.exitCode == 2)
            #expect(bad.stderr.contains("models/bad.sql:1:18: error: unknown model 'nope'"), "\(bad.stderr)")
        }
    }
    /// A database error names the line and column of the model's `.sql` template, mapped back
    /// through the render (Jinja before it, a join filter on the same line), besides the executed file.
    @Test func databaseErrorPointsAtTheTemplateLine() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var files = Self.files
            files["models/bad.sql"] = """
                {{ config(materialized='table') }}
                {%- set cols = ['id', 'amount'] %}
                select {{ cols | join(', ') }},
                       amunt * 2 as doubled
                from {{ ref('stg_orders') }}
                """
            let folder = try Self.project(files)
            defer { try? FileManager.default.removeItem(at: folder) }
            let url = settings.url()
            #expect(try SqltProcess.run(["seed", "--project-dir", folder.path, "--database-url", url]).exitCode == 0)
            let run = try SqltProcess.run(
                ["run", "-s", "+bad", "--project-dir", folder.path, "--database-url", url],
                environment: ["NO_COLOR": "1"])
            let output = run.stdout + run.stderr
            #expect(run.exitCode == 1, "\(output)")
            #expect(output.contains("column \"amunt\" does not exist"), "\(output)")
            #expect(
                output.contains("at models/bad.sql:4:8\n   4 |        amunt * 2 as doubled\n     |        ^"),
                "\(output)")
            #expect(output.contains("compiled code at target/run/shop/models/bad.sql:"), "\(output)")
            // Nothing was replaced or left behind.
            #expect(try connection.execute("select to_regclass($1)::text", ["\(schema).bad"]).scalar == nil)
        }
    }

    /// A view re-run goes in one round trip (`begin`, `create or replace view`, `commit` in one
    /// message): a failure in it is still located in the template and keeps the old view.
    @Test func failingViewReRunPointsAtTheTemplateLineAndKeepsTheView() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var files = Self.files
            files["models/shown.sql"] = "select id, amount from {{ ref('stg_orders') }}"
            let folder = try Self.project(files)
            defer { try? FileManager.default.removeItem(at: folder) }
            let url = settings.url()
            let arguments = ["--project-dir", folder.path, "--database-url", url]
            #expect(try SqltProcess.run(["seed"] + arguments).exitCode == 0)
            let first = try SqltProcess.run(["run", "-s", "+shown"] + arguments)
            #expect(first.exitCode == 0, "\(first.stdout)\(first.stderr)")
            let changed =
                "{%- set cols = ['id'] %}\nselect {{ cols | join(', ') }},\n       amunt as amount\nfrom {{ ref('stg_orders') }}\n"
            try changed.write(to: folder.appendingPathComponent("models/shown.sql"), atomically: true, encoding: .utf8)
            let run = try SqltProcess.run(["run", "-s", "shown"] + arguments, environment: ["NO_COLOR": "1"])
            let output = run.stdout + run.stderr
            #expect(run.exitCode == 1, "\(output)")
            #expect(output.contains("column \"amunt\" does not exist"), "\(output)")
            #expect(
                output.contains("at models/shown.sql:3:8\n   3 |        amunt as amount\n     |        ^"), "\(output)")
            let executed = try String(
                contentsOf: folder.appendingPathComponent("target/run/shop/models/shown.sql"), encoding: .utf8)
            let line = try #require(
                output.split(separator: "\n").last { $0.contains("compiled code at target/run/shop/models/shown.sql:") }
                    .flatMap { Int($0.split(separator: ":").last!) })
            #expect(executed.components(separatedBy: "\n")[line - 1] == "       amunt as amount", "\(executed)")
            // What ran stops at the failed statement; the old view is still there, unchanged.
            #expect(!executed.contains("commit"), "\(executed)")
            #expect(try connection.execute("select count(*) from \(quoteIdentifier(schema)).shown").scalar == "3")
        }
    }
}
