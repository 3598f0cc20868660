import Foundation
import ModelCompiler
import Testing
@testable import ModelRunner

/// Golden SQL of every materialization, strategy and on_schema_change mode (no database).
@Suite struct MaterializationPlanTests {
    static func node(_ name: String = "orders", schema: String = "analytics", config: NodeConfig = [:], columns: [ColumnInfo] = [], description: String = "") -> ManifestNode {
        ManifestNode(
            uniqueId: "model.shop.\(name)", resourceType: .model, name: name, packageName: "shop", path: "\(name).sql",
            originalFilePath: "models/\(name).sql", fqn: ["shop", name], schema: schema, alias: name,
            relationName: qualifiedName(schema, name), rawCode: "select 1", compiledCode: "select 1 as id",
            config: config, description: description,
            columns: Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0) })
        )
    }

    static func input(_ node: ManifestNode, existing: CatalogSnapshot.Kind? = nil, columns: [(String, String)] = [], fullRefresh: Bool = false) -> MaterializationInput {
        MaterializationInput(
            node: node, sql: "select 1 as id", existing: existing.map { CatalogSnapshot.Relation(schema: node.schema, name: node.alias, kind: $0, columns: columns.map { (name: $0.0, type: $0.1) }) },
            fullRefresh: fullRefresh, suffix: "abc123"
        )
    }

    static func text(_ statements: [PlannedStatement]) -> String { statements.map(\.sql).joined(separator: ";\n") }

    @Test func tableFirstRun() throws {
        let input = Self.input(Self.node(config: ["materialized": "table"]))
        let stage = try TableMaterialization().stage(input)
        #expect(Self.text(stage.statements) == """
            drop table if exists "analytics"."orders__sqlt_tmp_abc123" cascade;
            create table "analytics"."orders__sqlt_tmp_abc123" as (
            select 1 as id
            )
            """)
        #expect(stage.statements.last?.reportsRows == true)
        let swap = try TableMaterialization().swap(input, facts: StageFacts())
        #expect(Self.text(swap.transaction) == #"alter table "analytics"."orders__sqlt_tmp_abc123" rename to "orders""#)
        #expect(swap.cleanup.isEmpty)
        #expect(Self.text(swap.onFailure) == #"drop table if exists "analytics"."orders__sqlt_tmp_abc123" cascade"#)
    }
}
