import Foundation
import ModelCompiler
import Testing

@testable import ModelRunner

/// Builders shared by the plan tests.
enum PlanFixture {
    static func node(
        _ name: String = "orders", schema: String = "analytics", config: NodeConfig = [:], columns: [ColumnInfo] = [],
        description: String = ""
    ) -> ManifestNode {
        ManifestNode(
            uniqueId: "model.shop.\(name)", resourceType: .model, name: name, packageName: "shop", path: "\(name).sql",
            originalFilePath: "models/\(name).sql", fqn: ["shop", name], schema: schema, alias: name,
            relationName: qualifiedName(schema, name), rawCode: "select 1", compiledCode: "select 1 as id",
            config: config, description: description,
            columns: Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0) })
        )
    }

    static func input(
        _ node: ManifestNode, existing: RelationListing.Kind? = nil, columns: [(String, String)] = [],
        fullRefresh: Bool = false
    ) -> MaterializationInput {
        MaterializationInput(
            node: node, sql: "select 1 as id",
            existing: existing.map {
                RelationListing.Relation(
                    schema: node.schema, name: node.alias, kind: $0, columns: columns.map { (name: $0.0, type: $0.1) })
            },
            fullRefresh: fullRefresh, suffix: "abc123"
        )
    }

    static func text(_ statements: [PlannedStatement]) -> String { statements.map(\.sql).joined(separator: ";\n") }
}

/// Golden SQL of tables, views and materialized views (no database).
@Suite struct MaterializationPlanTests {
    @Test func tableFirstRun() throws {
        let input = PlanFixture.input(PlanFixture.node(config: ["materialized": "table"]))
        let stage = try TableMaterialization().stage(input)
        #expect(
            PlanFixture.text(stage.statements) == """
                drop table if exists "analytics"."orders__sqlt_tmp_abc123" cascade;
                create table "analytics"."orders__sqlt_tmp_abc123" as (
                select 1 as id
                )
                """)
        #expect(stage.statements.last?.reportsRows == true)
        let swap = try TableMaterialization().swap(input, facts: StageFacts())
        #expect(
            PlanFixture.text(swap.transaction)
                == #"alter table "analytics"."orders__sqlt_tmp_abc123" rename to "orders""#)
        #expect(swap.cleanup.isEmpty)
        #expect(
            PlanFixture.text(swap.onFailure) == #"drop table if exists "analytics"."orders__sqlt_tmp_abc123" cascade"#)
    }

    @Test func tableReplacingWithEverything() throws {
        let node = PlanFixture.node(
            config: [
                "materialized": "table", "unlogged": true, "pre_hook": "select 'pre'",
                "post_hook": ["analyze {{ this }}"],
                "indexes": [["columns": ["id"], "unique": true], ["columns": ["a", "b"], "type": "hash"]],
                "grants": ["select": ["reader", "bi"]], "persist_docs": ["relation": true, "columns": true],
            ],
            columns: [ColumnInfo(name: "id", description: "the id's key")], description: "all orders"
        )
        let input = PlanFixture.input(node, existing: .table)
        let stage = try TableMaterialization().stage(input)
        let unique =
            RelationNaming.index(relation: "orders", index: IndexConfig(columns: ["id"], unique: true))
            + "__sqlt_tmp_abc123"
        let hash =
            RelationNaming.index(relation: "orders", index: IndexConfig(columns: ["a", "b"], type: "hash"))
            + "__sqlt_tmp_abc123"
        #expect(
            PlanFixture.text(stage.statements) == """
                select 'pre';
                drop table if exists "analytics"."orders__sqlt_tmp_abc123" cascade;
                create unlogged table "analytics"."orders__sqlt_tmp_abc123" as (
                select 1 as id
                );
                create unique index "\(unique)" on "analytics"."orders__sqlt_tmp_abc123" using btree ("id");
                create index "\(hash)" on "analytics"."orders__sqlt_tmp_abc123" using hash ("a", "b")
                """)
        #expect(stage.staged?.needsColumns == true)
        let swap = try TableMaterialization().swap(input, facts: StageFacts(columns: [ColumnShape("id", "integer")]))
        let finalUnique = RelationNaming.index(relation: "orders", index: IndexConfig(columns: ["id"], unique: true))
        let finalHash = RelationNaming.index(relation: "orders", index: IndexConfig(columns: ["a", "b"], type: "hash"))
        #expect(
            PlanFixture.text(swap.transaction) == """
                drop table if exists "analytics"."orders";
                alter table "analytics"."orders__sqlt_tmp_abc123" rename to "orders";
                alter index "analytics"."\(unique)" rename to "\(finalUnique)";
                alter index "analytics"."\(hash)" rename to "\(finalHash)";
                analyze {{ this }};
                grant select on "analytics"."orders" to "bi", "reader";
                comment on table "analytics"."orders" is 'all orders';
                comment on column "analytics"."orders"."id" is 'the id''s key'
                """)
        #expect(swap.cleanup.isEmpty)
        #expect(swap.replaces == #""analytics"."orders""#)
    }

    @Test func tableReplacingAView() throws {
        let input = PlanFixture.input(PlanFixture.node(config: ["materialized": "table"]), existing: .view)
        let swap = try TableMaterialization().swap(input, facts: StageFacts())
        #expect(swap.transaction.first?.sql == #"drop view if exists "analytics"."orders""#)
        #expect(swap.cleanup.isEmpty)
    }

    @Test func partitionedTable() throws {
        let node = PlanFixture.node(config: [
            "materialized": "table", "partition_by": ["field": "day", "granularity": "month"],
        ])
        let stage = try TableMaterialization().stage(PlanFixture.input(node))
        let sql = stage.statements.map(\.sql)
        #expect(sql[1] == "create temporary table \"orders__sqlt_rows_abc123\" as (\nselect 1 as id\n)")
        #expect(
            sql[2]
                == #"create table "analytics"."orders__sqlt_tmp_abc123" (like "orders__sqlt_rows_abc123") partition by range ("day")"#
        )
        #expect(sql[3].contains("date_trunc('month', min(\"day\")::timestamp)"))
        #expect(sql[3].contains("'orders__abc123_p' || to_char(low, 'YYYYMMDD')"))
        #expect(sql[3].contains("low + interval '1 month'"))
        #expect(
            sql[4]
                == #"create table "analytics"."orders__abc123_default" partition of "analytics"."orders__sqlt_tmp_abc123" default"#
        )
        #expect(
            sql[5] == #"insert into "analytics"."orders__sqlt_tmp_abc123" select * from "orders__sqlt_rows_abc123""#)
        #expect(stage.statements[5].reportsRows)
        #expect(TableMaterialization().resultKind(PlanFixture.input(node)) == .partitionedTable)
    }

    @Test func view() throws {
        let input = PlanFixture.input(PlanFixture.node(config: ["materialized": "view"]), existing: .view)
        let stage = try ViewMaterialization().stage(input)
        #expect(
            PlanFixture.text(stage.statements) == """
                drop view if exists "analytics"."orders__sqlt_tmp_abc123" cascade;
                create view "analytics"."orders__sqlt_tmp_abc123" as (
                select 1 as id
                )
                """)
        let swap = try ViewMaterialization().swap(input, facts: StageFacts())
        #expect(
            PlanFixture.text(swap.transaction) == """
                drop view if exists "analytics"."orders";
                alter view "analytics"."orders__sqlt_tmp_abc123" rename to "orders"
                """)
        #expect(swap.cleanup.isEmpty)
        #expect(ViewMaterialization().replacesInPlace(input))
        #expect(
            ViewMaterialization().createOrReplace(input).sql
                == "create or replace view \"analytics\".\"orders\" as (\nselect 1 as id\n)")
    }

    @Test func materializedViewFirstRunThenRefresh() throws {
        let node = PlanFixture.node(config: [
            "materialized": "materialized_view", "indexes": [["columns": ["id"], "unique": true]],
        ])
        let first = try MaterializedViewMaterialization().stage(PlanFixture.input(node))
        #expect(
            first.statements[1].sql
                == "create materialized view \"analytics\".\"orders__sqlt_tmp_abc123\" as (\nselect 1 as id\n)")
        #expect(first.definitionProbe == nil)

        let later = PlanFixture.input(node, existing: .materializedView)
        let stage = try MaterializedViewMaterialization().stage(later)
        #expect(
            PlanFixture.text(stage.statements) == """
                drop view if exists "orders__sqlt_probe_abc123";
                create temporary view "orders__sqlt_probe_abc123" as (
                select 1 as id
                )
                """)
        #expect(stage.definitionProbe == #""orders__sqlt_probe_abc123""#)
        let refresh = try MaterializedViewMaterialization().swap(later, facts: StageFacts(definitionUnchanged: true))
        #expect(
            PlanFixture.text(refresh.transaction) == #"refresh materialized view concurrently "analytics"."orders""#)
        let rebuild = try MaterializedViewMaterialization().swap(later, facts: StageFacts(definitionUnchanged: false))
        #expect(rebuild.transaction.first?.sql == #"drop materialized view if exists "analytics"."orders""#)
        #expect(rebuild.cleanup.map(\.sql).contains(#"drop view if exists "orders__sqlt_probe_abc123""#))
    }

    @Test func materializedViewFullRefreshRebuilds() throws {
        let node = PlanFixture.node(config: ["materialized": "materialized_view"])
        let input = PlanFixture.input(node, existing: .materializedView, fullRefresh: true)
        let stage = try MaterializedViewMaterialization().stage(input)
        #expect(stage.definitionProbe == nil)
        #expect(stage.statements.contains { $0.sql.hasPrefix("create materialized view") })
    }

    @Test func grantsAreADifference() {
        let statements = PlanFragments.grants(
            ["select": ["bi", "reader"]], current: ["select": ["reader", "old"], "insert": ["loader"]], relation: "t"
        )
        #expect(
            PlanFixture.text(statements) == """
                revoke insert on t from "loader";
                revoke select on t from "old";
                grant select on t to "bi"
                """)
    }

    @Test(arguments: [
        ([ColumnShape("id", "integer"), ColumnShape("name", "text")], nil as String?),
        (
            [ColumnShape("id", "bigint"), ColumnShape("name", "text")],
            "column id: contract data_type int, model returns bigint"
        ),
        ([ColumnShape("id", "integer")], "column name is in the contract but not returned by the model"),
        (
            [ColumnShape("id", "integer"), ColumnShape("name", "text"), ColumnShape("x", "text")],
            "column x is returned by the model but not in the contract"
        ),
    ])
    func contract(columns: [ColumnShape], problem: String?) {
        let node = PlanFixture.node(
            config: ["materialized": "table", "contract": ["enforced": true]],
            columns: [
                ColumnInfo(name: "id", dataType: "int", index: 0), ColumnInfo(name: "name", dataType: "text", index: 1),
            ]
        )
        do {
            _ = try TableMaterialization().swap(PlanFixture.input(node), facts: StageFacts(columns: columns))
            #expect(problem == nil)
        } catch {
            #expect(problem != nil && error.message.contains(problem!), "\(error.message)")
            #expect(error.message.hasPrefix("the enforced contract of model orders is not satisfied"))
        }
    }

    @Test func invalidIndexTypeIsADiagnostic() {
        let node = PlanFixture.node(config: [
            "materialized": "table", "indexes": [["columns": ["id"], "type": "btreee"]],
        ])
        #expect(throws: Diagnostic.self) { try TableMaterialization().stage(PlanFixture.input(node)) }
    }

    @Test func namesFitPostgresLimit() {
        let long = String(repeating: "x", count: 70)
        #expect(RelationNaming.temporary(long, suffix: "abc123").utf8.count == 63)
        #expect(RelationNaming.temporary(long, suffix: "abc123").hasSuffix("__sqlt_tmp_abc123"))
        #expect(RelationNaming.shortSuffix("6f1c2d3e-aaaa-bbbb") == "6f1c2d3e")
        #expect(RelationNaming.stableHash("id") == RelationNaming.stableHash("id"))
        let index = IndexConfig(columns: ["id"])
        let staged = PlanFragments.stagedIndexName(index, finalName: long, suffix: "abc123")
        #expect(staged != RelationNaming.index(relation: long, index: index))
        #expect(staged.utf8.count <= 63)
    }
}
