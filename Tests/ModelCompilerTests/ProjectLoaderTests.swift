import Foundation
import Testing

@testable import ModelCompiler

/// A dbt-format project (dbt_project.yml, schema.yml with `tests:`, docs blocks, `{% set %}` lists
/// and `{% for %}` loops with whitespace control) compiled to the expected SQL, with no database.
@Suite struct ProjectLoaderTests {
    static let dbtProject: [String: String] = [
        "dbt_project.yml": """
        name: shop
        version: '1.0'
        config-version: 2
        profile: shop
        require-dbt-version: ">=1.5.0"
        vars:
          currency: EUR
        models:
          shop:
            +materialized: view
            marts:
              +materialized: table
              +schema: marts
              +tags: [nightly]
        """,
        "models/staging/stg_orders.sql": """
        {{ config(materialized='view', tags=['staging']) }}
        select id, customer_id, amount, status
        from {{ source('raw', 'orders') }}
        """,
        "models/staging/stg_customers.sql": """
        select id, name from {{ source('raw', 'customers') }}
        """,
        "models/marts/orders_by_status.sql": """
        {%- set statuses = ['placed', 'shipped', 'returned'] -%}
        select
            customer_id,
            {%- for status in statuses %}
            sum(case when status = '{{ status }}' then amount else 0 end) as {{ status }}_amount{{ "," if not loop.last }}
            {%- endfor %}
        from {{ ref('stg_orders') }}
        {% if var('currency') == 'EUR' -%}
        where amount is not null
        {%- endif %}
        group by customer_id
        """,
        "models/schema.yml": """
        version: 2
        sources:
          - name: raw
            schema: raw_data
            tables:
              - name: orders
                columns:
                  - name: id
                    tests: [unique, not_null]
              - name: customers
                identifier: customer_table
                columns:
                  - name: name
                    meta: {pii: direct}
        models:
          - name: stg_orders
            description: '{{ doc("orders") }}'
            columns:
              - name: id
                tests:
                  - unique
                  - not_null
              - name: status
                tests:
                  - accepted_values:
                      values: ['placed', 'shipped', 'returned']
          - name: orders_by_status
            columns:
              - name: customer_id
                tests:
                  - relationships:
                      to: ref('stg_customers')
                      field: id
                      config:
                        severity: warn
        """,
        "models/docs.md": """
        {% docs orders %}
        One row per order.
        {% enddocs %}
        """,
    ]

    func compile(_ files: [String: String], vars: [String: JSONValue] = [:]) throws -> CompiledProject {
        try ProjectLoader.compile(
            fs: InMemoryFileSystem(files),
            options: CompileOptions(target: TargetInfo(schema: "analytics"), vars: vars, environment: [:]))
    }

    @Test func dbtProjectCompilesToExpectedSQL() throws {
        let project = try compile(Self.dbtProject)
        let manifest = project.manifest
        let mart = try #require(manifest.nodes["model.shop.orders_by_status"])
        #expect(
            mart.compiledCode == """
                select
                    customer_id,
                    sum(case when status = 'placed' then amount else 0 end) as placed_amount,
                    sum(case when status = 'shipped' then amount else 0 end) as shipped_amount,
                    sum(case when status = 'returned' then amount else 0 end) as returned_amount
                from "analytics"."stg_orders"
                where amount is not null
                group by customer_id
                """)
        #expect(mart.materialization == .table)
        #expect(mart.schema == "analytics_marts")
        #expect(mart.relationName == "\"analytics_marts\".\"orders_by_status\"")
        #expect(mart.tags == ["nightly"])
        #expect(mart.dependsOn.nodes == ["model.shop.stg_orders"])

        let staging = try #require(manifest.nodes["model.shop.stg_orders"])
        #expect(staging.compiledCode == "\nselect id, customer_id, amount, status\nfrom \"raw_data\".\"orders\"")
        #expect(staging.description == "One row per order.")
        #expect(staging.tags == ["staging"])
        #expect(staging.dependsOn.nodes == ["source.shop.raw.orders"])

        let customers = try #require(manifest.sources["source.shop.raw.customers"])
        #expect(customers.relationName == "\"raw_data\".\"customer_table\"")
        #expect(customers.columns["name"]?.pii == "direct")
    }

    @Test func genericTestsAreNamedAndCompiledLikeDbt() throws {
        let manifest = try compile(Self.dbtProject).manifest
        let tests = manifest.nodes.values.filter { $0.resourceType == .test }
        let names = Set(tests.map(\.name))
        #expect(
            names == [
                "unique_stg_orders_id", "not_null_stg_orders_id",
                "accepted_values_stg_orders_status__placed__shipped__returned",
                "relationships_orders_by_status_customer_id__id__ref_stg_customers_", "source_unique_raw_orders_id",
                "source_not_null_raw_orders_id",
            ])
        let relationships = try #require(tests.first { $0.name.hasPrefix("relationships") })
        #expect(Set(relationships.dependsOn.nodes) == ["model.shop.orders_by_status", "model.shop.stg_customers"])
        #expect(relationships.config.severity == "warn")
        #expect(relationships.compiledCode?.contains("\"analytics\".\"stg_customers\"") == true)
        #expect(relationships.compiledCode?.contains("\"analytics_marts\".\"orders_by_status\"") == true)
    }

    @Test func unknownRefIsAnErrorWithSuggestion() throws {
        var files = Self.dbtProject
        files["models/marts/bad.sql"] = "select 1\nfrom {{ ref('stg_ordrs') }}\n"
        do {
            _ = try compile(files)
            Issue.record("expected an error")
        } catch let error as DiagnosticsError {
            let diagnostic = try #require(error.diagnostics.first { $0.id == "ref.unknown" })
            let frozen = files
            let text = DiagnosticRenderer { frozen[$0] }.render(diagnostic)
            #expect(
                text == """
                    models/marts/bad.sql:2:9: error: unknown model 'stg_ordrs'
                     2 | from {{ ref('stg_ordrs') }}
                       |         ^~~
                    hint: did you mean 'stg_orders'?
                    """)
        }
    }

    /// The notes of a cycle point at the `ref` calls in the files (found only once there is a cycle),
    /// including a `ref` inside a SQL comment, which is still a dependency.
    @Test func cycleNotesPointAtTheRefCalls() throws {
        var files = Self.dbtProject
        files["models/loop/a.sql"] = "select 1 as id\n-- {{ ref('c') }}\nfrom {{ ref('b') }}\n"
        files["models/loop/b.sql"] = "select 1 as id\n"
        files["models/loop/c.sql"] = "select 1\nunion all select * from {{ ref('a') }}\n"
        do {
            _ = try compile(files)
            Issue.record("expected a cycle")
        } catch let error as DiagnosticsError {
            let cycle = try #require(error.diagnostics.first { $0.id == "graph.cycle" })
            #expect(cycle.message == "dependency cycle: model.shop.a -> model.shop.c -> model.shop.a")
            let notes = cycle.notes.map {
                "\($0.location?.file ?? "?"):\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.message)"
            }
            #expect(
                notes == [
                    "models/loop/c.sql:2:28 'model.shop.c' depends on 'model.shop.a'",
                    "models/loop/a.sql:2:7 'model.shop.a' depends on 'model.shop.c'",
                ])
        }
    }

    @Test func duplicateNamesNameBothFiles() throws {
        var files = Self.dbtProject
        files["models/other/stg_orders.sql"] = "select 1"
        #expect(throws: DiagnosticsError.self) { try compile(files) }
        do { _ = try compile(files) } catch let error as DiagnosticsError {
            let message = error.diagnostics.first { $0.id == "node.duplicate" }?.message ?? ""
            #expect(message.contains("models/other/stg_orders.sql"))
            #expect(message.contains("models/staging/stg_orders.sql"))
        }
    }

    @Test func cycleIsReported() throws {
        let files: [String: String] = [
            "sqlt_project.yml": "name: p\n",
            "models/a.sql": "select * from {{ ref('b') }}",
            "models/b.sql": "select * from {{ ref('a') }}",
        ]
        do {
            _ = try compile(files)
            Issue.record("expected a cycle error")
        } catch let error as DiagnosticsError {
            #expect(error.diagnostics.contains { $0.message.contains("cycle") })
        }
    }

    @Test func varsFromCommandLineOverrideProjectVars() throws {
        var files = Self.dbtProject
        files["models/v.sql"] = "select '{{ var(\"currency\") }}' as c, {{ var('missing', 7) }} as d"
        let manifest = try compile(files, vars: ["currency": "USD"]).manifest
        #expect(manifest.nodes["model.shop.v"]?.compiledCode == "select 'USD' as c, 7 as d")
    }

    @Test func sqlSyntaxErrorPointsAtTheModelFile() throws {
        let files: [String: String] = [
            "sqlt_project.yml": "name: p\n",
            "models/a.sql": "{{ config(materialized='table') }}\nselect 1 as x,\n  from nowhere\n",
        ]
        // Not a compile error (dbt never rejects a project for it): an error for the commands that
        // execute the node, a warning for the others.
        let project = try compile(files)
        let diagnostic = try #require(project.syntaxProblems["model.p.a"])
        #expect(diagnostic.id == "sql.syntax")
        #expect(diagnostic.location?.file == "models/a.sql")
        #expect(diagnostic.location?.line == 3)
        #expect(project.syntaxDiagnostics(executing: ["model.p.a"]).errors.map(\.id) == ["sql.syntax"])
        let unselected = project.syntaxDiagnostics(executing: [])
        #expect(unselected.errors.isEmpty)
        #expect(unselected.warnings.map(\.severity) == [.warning])
    }

    @Test func ephemeralModelsAreInlinedAsCTEs() throws {
        let files: [String: String] = [
            "sqlt_project.yml": "name: p\n",
            "models/base.sql": "{{ config(materialized='ephemeral') }}select 1 as id",
            "models/top.sql": "with x as (select * from {{ ref('base') }}) select * from x",
        ]
        let manifest = try compile(files).manifest
        #expect(
            manifest.nodes["model.p.top"]?.compiledCode
                == "with __dbt__cte__base as (\nselect 1 as id\n), x as (select * from __dbt__cte__base) select * from x"
        )
        #expect(manifest.nodes["model.p.base"]?.relationName == nil)
    }
}

/// A project macro named `generate_schema_name` replaces the default schema naming, as in dbt.
@Suite struct SchemaNamingTests {
    @Test func projectMacroOverridesSchemaNames() throws {
        let files: [String: String] = [
            "sqlt_project.yml": "name: p\nmodels:\n  p:\n    marts:\n      +schema: marts\n",
            "macros/schema.sql": """
            {% macro generate_schema_name(custom_schema_name, node) -%}
            {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
            {%- endmacro %}
            """,
            "models/marts/m.sql": "select 1 as x",
            "models/base.sql": "select 1 as y",
        ]
        let manifest = try ProjectLoader.compile(
            fs: InMemoryFileSystem(files),
            options: CompileOptions(target: TargetInfo(schema: "analytics"), environment: [:])
        ).manifest
        #expect(manifest.nodes["model.p.m"]?.schema == "marts")
        #expect(manifest.nodes["model.p.base"]?.schema == "analytics")
    }
}
