import Foundation
import Testing

@testable import ModelCompiler

/// Jinja in property files rendered as dbt-postgres 1.11 renders it (each expected value checked
/// with `dbt compile` on the same project): config values and `data_type` while parsing, test
/// arguments in the test's own context when it compiles.
@Suite struct PropertyJinjaTests {
    static let files: [String: String] = [
        "dbt_project.yml": "name: shop\nvars:\n  lim: 5\n  amount_type: numeric(10,2)\n",
        "macros/expr_true.sql": """
        {% test expr_true(model, column_name, expression, n=none) %}
        select * from {{ model }} where not ({{ expression }}) -- n={{ n }}
        {% endtest %}
        """,
        "models/m.sql": "select 1 as id, 2 as amount",
        "seeds/prices.csv": "id,amount\n1,2.5\n",
        "models/schema.yml": """
        version: 2
        models:
          - name: m
            config:
              materialized: "{{ 'table' if target.name == 'prod' else 'view' }}"
              tags: ["{{ target.name }}"]
              post_hook: "select '{{ this }}'"
            columns:
              - name: amount
                data_type: "{{ 'int' ~ 'eger' }}"
                data_tests:
                  - expr_true:
                      expression: "{{ column_name }} > 0 and {{ var('lim', 7) }} > 1 and '{{ target.name }}' = 'dev'"
                      n: "{{ 1 + 2 }}"
                  - expr_true:
                      expression: "ref('m') is not null"
        seeds:
          - name: prices
            config:
              column_types:
                amount: "{{ var('amount_type') }}"
        """,
    ]

    func compile(target: String = "dev") throws -> CompiledProject {
        try ProjectLoader.compile(
            fs: InMemoryFileSystem(Self.files),
            options: CompileOptions(target: TargetInfo(name: target, schema: "analytics"), environment: [:]))
    }

    @Test func configValuesAndDataTypesAreRenderedWhileParsing() throws {
        let dev = try compile()
        let model = try #require(dev.manifest.nodes["model.shop.m"])
        #expect(model.materialization == .view)
        #expect(model.tags == ["dev"])
        #expect(model.columns["amount"]?.dataType == "integer")
        #expect(try compile(target: "prod").manifest.nodes["model.shop.m"]?.materialization == .table)
        // hooks keep their Jinja until the node's own context renders them
        #expect(model.config["post_hook"]?.arrayValue?.first?.stringValue == "select '\"analytics\".\"m\"'")
        let seed = try #require(dev.manifest.nodes["seed.shop.prices"])
        #expect(seed.config["column_types"]?.objectValue?["amount"]?.stringValue == "numeric(10,2)")
    }

    @Test func testArgumentsAreRenderedInTheTestsContext() throws {
        let tests = try compile().manifest.nodes.values.filter { $0.resourceType == .test }.sorted { $0.name < $1.name }
        let sql = tests.compactMap { $0.compiledCode?.trimmingCharacters(in: .whitespacesAndNewlines) }
        // as dbt: `column_name` is not a name of the test's context, so it renders empty
        #expect(sql.contains("select * from \"analytics\".\"m\" where not ( > 0 and 5 > 1 and 'dev' = 'dev') -- n=3"))
        // text that is more than a lone ref() stays as written
        #expect(sql.contains("select * from \"analytics\".\"m\" where not (ref('m') is not null) -- n=None"))
    }
}
