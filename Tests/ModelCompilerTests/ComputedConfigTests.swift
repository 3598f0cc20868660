import Foundation
import Testing

@testable import ModelCompiler

/// `config()` arguments that are not literals, evaluated while parsing as dbt evaluates them.
@Suite struct ComputedConfigTests {
    func compile(
        _ model: String, extra: [String: String] = [:], target: String = "dev", environment: [String: String] = [:]
    ) throws -> CompiledProject {
        var files = [
            "dbt_project.yml": "name: shop\nvars:\n  enable_m: false\n  mat: table\n",
            "models/m.sql": model,
            "models/base.sql": "select 1 as id",
        ]
        files.merge(extra) { $1 }
        return try ProjectLoader.compile(
            fs: InMemoryFileSystem(files),
            options: CompileOptions(target: TargetInfo(name: target, schema: "analytics"), environment: environment))
    }

    @Test func varEnvVarAndTargetAreEvaluated() throws {
        let model = """
            {{ config(
                materialized=var('mat'),
                tags=['a', env_var('TEAM', 'none')],
                alias=('m_' ~ target.name),
                schema='prod_marts' if target.name == 'prod' else none
            ) }}
            select * from {{ ref('base') }}
            """
        let dev = try #require(try compile(model, environment: ["TEAM": "core"]).manifest.nodes["model.shop.m"])
        #expect(dev.materialization == .table)
        #expect(dev.tags == ["a", "core"])
        #expect(dev.alias == "m_dev")
        #expect(dev.schema == "analytics")
        #expect(dev.dependsOn.nodes == ["model.shop.base"])
        let prod = try #require(try compile(model, target: "prod").manifest.nodes["model.shop.m"])
        #expect(prod.alias == "m_prod")
        #expect(prod.tags == ["a", "none"])
        #expect(prod.schema == "analytics_prod_marts")
    }

    @Test func enabledFromAVarDisablesTheModel() throws {
        let project = try compile("{{ config(enabled=var('enable_m')) }}select * from {{ ref('base') }}")
        #expect(project.manifest.nodes["model.shop.m"] == nil)
        #expect(project.manifest.disabled.keys.contains("model.shop.m"))
    }

    @Test func aMacroMayComputeAnArgument() throws {
        let project = try compile(
            "{{ config(materialized=pick()) }}select 1",
            extra: [
                "macros/pick.sql":
                    "{% macro pick() %}{{ return('view' if target.name == 'dev' else 'table') }}{% endmacro %}"
            ])
        #expect(project.manifest.nodes["model.shop.m"]?.materialization == .view)
    }

    @Test func aMissingVarIsAnErrorAtTheArgument() {
        do {
            _ = try compile("{{ config(materialized=var('nope')) }}select 1")
            Issue.record("expected an error")
        } catch let error as DiagnosticsError {
            let d = error.diagnostics.first
            #expect(d?.message.contains("required var 'nope' not found") == true)
            #expect(d?.location?.file == "models/m.sql")
            #expect(d?.location?.line == 1)
            #expect(d?.location?.column == 24)
        } catch {
            Issue.record("\(error)")
        }
    }
}

extension ComputedConfigTests {
    @Test func onlyTheConfigOfTheBranchTakenApplies() throws {
        let model = """
            {% if target.name == 'prod' %}
                {{ config(materialized='table', tags=['prod']) }}
            {% elif target.name == 'ci' %}
                {{ config(materialized='incremental', unique_key='id') }}
            {% else %}
                {{ config(materialized='view') }}
            {% endif %}
            select 1 as id
            """
        #expect(try compile(model, target: "prod").manifest.nodes["model.shop.m"]?.materialization == .table)
        #expect(try compile(model, target: "ci").manifest.nodes["model.shop.m"]?.materialization == .incremental)
        #expect(try compile(model, target: "dev").manifest.nodes["model.shop.m"]?.materialization == .view)
        #expect(try compile(model, target: "dev").manifest.nodes["model.shop.m"]?.tags == [])
    }
}

extension ComputedConfigTests {
    @Test func aRefInsideAComputedArgumentIsStillAnEdge() throws {
        let project = try compile("{{ config(alias='m_' ~ ref('base').identifier) }}select 1")
        let node = try #require(project.manifest.nodes["model.shop.m"])
        #expect(node.alias == "m_base")
        #expect(node.dependsOn.nodes == ["model.shop.base"])
    }
}
