import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// A project with an installed package whose macros introspect the database at run time, as
/// dbt_utils' do (`get_columns_in_relation`, `statement` + `load_result`, `run_query`,
/// `adapter.get_relation`), and whose generic test runs instead of sqlt's built-in one; built
/// through the binary against PostgreSQL. `sqlt parse` and `sqlt ls` need no database.
@Suite(.serialized) struct PackageBuildTests {
    static let files: [String: String] = [
        "dbt_project.yml": """
        name: shop
        profile: shop
        models:
          shop:
            +materialized: table
        """,
        "packages.yml": "packages:\n  - package: acme/helpers\n    version: 1.0.0\n",
        "seeds/orders.csv": "id,amount,status,secret\n1,10.5,placed,a\n2,20,shipped,b\n3,30,placed,c\n",
        "dbt_packages/helpers/dbt_project.yml": "name: helpers\nversion: '1.0.0'\n",
        "dbt_packages/helpers/macros/introspection.sql": """
        {% macro star_except(relation, except=[]) %}
          {%- if not execute -%}*{%- else -%}
          {%- set names = [] -%}
          {%- for column in adapter.get_columns_in_relation(relation) if column.name not in except -%}
            {%- do names.append(adapter.quote(column.name)) -%}
          {%- endfor -%}
          {{ names | join(', ') }}
          {%- endif -%}
        {% endmacro %}

        {% macro row_count(relation) %}
          {%- call statement('row_count', fetch_result=True) -%}
            select count(*) as n from {{ relation }}
          {%- endcall -%}
          {%- if execute -%}{{ load_result('row_count')['data'][0][0] }}{%- else -%}0{%- endif -%}
        {% endmacro %}

        {% macro statuses(relation) %}
          {%- if execute -%}
          {%- set table = run_query('select distinct status from ' ~ relation ~ ' order by status') -%}
          {{ return(table.columns[0].values() | list) }}
          {%- else -%}{{ return([]) }}{%- endif -%}
        {% endmacro %}

        {% macro relation_kind(schema, name) %}
          {%- set found = adapter.get_relation(database=target.database, schema=schema, identifier=name) -%}
          {{- 'missing' if found is none else found.type -}}
        {% endmacro %}
        """,
        "dbt_packages/helpers/macros/tests.sql": """
        {% test expression_is_true(model, expression) %}
        select 'helpers' as origin from {{ model }} where not ({{ expression }})
        {% endtest %}
        """,
        "models/clean_orders.sql":
            "select {{ helpers.star_except(ref('orders'), except=['secret']) }} from {{ ref('orders') }}",
        "models/order_facts.sql": """
        select {{ helpers.row_count(ref('orders')) }} as n,
               '{{ helpers.statuses(ref('orders')) | join('|') }}' as statuses,
               '{{ helpers.relation_kind(this.schema, 'orders') }}' as orders_kind,
               '{{ helpers.relation_kind(this.schema, 'nothing_here') }}' as other_kind
        from {{ ref('clean_orders') }} limit 1
        """,
        "models/schema.yml": """
        version: 2
        models:
          - name: clean_orders
            data_tests:
              - helpers.expression_is_true:
                  expression: "amount > 0"
              - helpers.expression_is_true:
                  expression: "amount > 15"
                  config: {severity: warn}
        """,
    ]

    static func project(_ files: [String: String]) throws -> URL {
        try TemporaryProject.write(files, prefix: "pkg")
    }

    @Test func packageMacrosQueryTheDatabaseDuringTheBuild() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let folder = try Self.project(Self.files)
            defer { try? FileManager.default.removeItem(at: folder) }
            let url = settings.url()
            let build = try SqltProcess.run(
                ["build", "--project-dir", folder.path, "--database-url", url], environment: ["NO_COLOR": "1"])
            let output = build.stdout + build.stderr
            #expect(build.exitCode == 0, "\(output)")
            // star_except read the seed's columns from the catalog and left `secret` out.
            let columns = try connection.execute(
                "select column_name from information_schema.columns where table_schema = $1 and table_name = 'clean_orders' order by ordinal_position",
                [schema]
            ).rows.map { $0[0] ?? "" }
            #expect(columns == ["id", "amount", "status"])
            let facts = try connection.execute(
                "select n, statuses, orders_kind, other_kind from \(qualifiedName(schema, "order_facts"))"
            ).rows
            #expect(facts == [["3", "placed|shipped", "table", "missing"]])
            // The package's test macro ran (not sqlt's built-in expression_is_true): one row fails
            // `amount > 15` and that test warns.
            #expect(output.contains("WARN 1 helpers_expression_is_true_clean_orders_amount_15"), "\(output)")
            #expect(output.contains("PASS helpers_expression_is_true_clean_orders_amount_0"), "\(output)")
            let results = try String(
                contentsOf: folder.appendingPathComponent("target/run_results.json"), encoding: .utf8)
            #expect(results.contains("'helpers' as origin"), "\(results)")
        }
    }

    @Test func compileRendersWithTheConnectionParseAndLsNeedNone() async throws {
        try await TestDatabase.withSchema { _, _, settings in
            let folder = try Self.project(Self.files)
            defer { try? FileManager.default.removeItem(at: folder) }
            let url = settings.url()
            #expect(try SqltProcess.run(["seed", "--project-dir", folder.path, "--database-url", url]).exitCode == 0)
            let compile = try SqltProcess.run(["compile", "--project-dir", folder.path, "--database-url", url])
            #expect(compile.exitCode == 0, "\(compile.stdout + compile.stderr)")
            let sql = try String(
                contentsOf: folder.appendingPathComponent("target/compiled/shop/models/clean_orders.sql"),
                encoding: .utf8)
            #expect(sql.contains("\"id\", \"amount\", \"status\" from"), "\(sql)")

            // No database at all: a URL nothing listens on. Parse and ls still work (execute is false).
            let nowhere = "postgresql://nobody@127.0.0.1:1/none"
            let parse = try SqltProcess.run(["parse", "--project-dir", folder.path, "--database-url", nowhere])
            #expect(parse.exitCode == 0, "\(parse.stdout + parse.stderr)")
            let manifest = try String(
                contentsOf: folder.appendingPathComponent("target/manifest.json"), encoding: .utf8)
            #expect(manifest.contains("\"macro.helpers.star_except\""))
            #expect(
                manifest.contains("\"package_name\":\"helpers\"") || manifest.contains("\"package_name\": \"helpers\""))
            let ls = try SqltProcess.run(["ls", "--project-dir", folder.path, "--database-url", nowhere])
            #expect(ls.exitCode == 0, "\(ls.stdout + ls.stderr)")
            #expect(ls.stdout.contains("shop.clean_orders"), "\(ls.stdout)")
        }
    }

    @Test func missingPackageAsksForDeps() throws {
        var files = Self.files
        files = files.filter { !$0.key.hasPrefix("dbt_packages/") }
        let folder = try Self.project(files)
        defer { try? FileManager.default.removeItem(at: folder) }
        let parse = try SqltProcess.run([
            "parse", "--project-dir", folder.path, "--database-url", "postgresql://nobody@127.0.0.1:1/none",
        ])
        #expect(parse.exitCode == 2)
        #expect(
            parse.stderr.contains(
                "packages.yml:2:5: error: package 'helpers' of packages.yml is not installed in dbt_packages/"),
            "\(parse.stderr)")
        #expect(parse.stderr.contains("sqlt deps"))
    }
}
