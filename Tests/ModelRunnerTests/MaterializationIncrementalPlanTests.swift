import Foundation
import ModelCompiler
import Testing

@testable import ModelRunner

/// Golden SQL of incremental strategies and on_schema_change modes (no database).
@Suite struct MaterializationIncrementalPlanTests {
    static let existingColumns = [("id", "integer"), ("amount", "numeric"), ("old", "text")]
    static let incoming = [ColumnShape("id", "integer"), ColumnShape("amount", "bigint"), ColumnShape("fresh", "text")]

    static func plan(
        _ config: NodeConfig, incoming: [ColumnShape] = incoming, fullRefresh: Bool = false
    ) throws(Diagnostic) -> (StagePlan, SwapPlan) {
        let input = PlanFixture.input(
            PlanFixture.node(config: ["materialized": "incremental"].merging(config) { $1 }), existing: .table,
            columns: existingColumns, fullRefresh: fullRefresh)
        let materialization = IncrementalMaterialization()
        return (try materialization.stage(input), try materialization.swap(input, facts: StageFacts(columns: incoming)))
    }

    @Test func stagesATempTable() throws {
        let (stage, swap) = try Self.plan([:])
        #expect(
            PlanFixture.text(stage.statements) == """
                drop table if exists "orders__sqlt_tmp_abc123";
                create temporary table "orders__sqlt_tmp_abc123" as (
                select 1 as id
                )
                """)
        #expect(stage.staged == StagedRelation(lookupName: #""orders__sqlt_tmp_abc123""#, needsColumns: true))
        #expect(PlanFixture.text(swap.cleanup) == #"drop table if exists "orders__sqlt_tmp_abc123""#)
    }

    @Test func firstRunAndFullRefreshBuildLikeTable() throws {
        let node = PlanFixture.node(config: ["materialized": "incremental", "unique_key": "id"])
        for input in [PlanFixture.input(node), PlanFixture.input(node, existing: .table, fullRefresh: true)] {
            let stage = try IncrementalMaterialization().stage(input)
            #expect(
                stage.statements.contains {
                    $0.sql.hasPrefix(#"create table "analytics"."orders__sqlt_tmp_abc123" as ("#)
                })
        }
    }

    struct StrategyCase: Sendable, CustomTestStringConvertible {
        var config: NodeConfig
        var expected: String
        var testDescription: String { config.description }
    }

    @Test(arguments: [
        StrategyCase(
            config: [:],
            expected: """
                insert into "analytics"."orders" ("id", "amount", "old")
                (select "id", "amount", "old" from "orders__sqlt_tmp_abc123")
                """),
        StrategyCase(
            config: ["unique_key": "id"],
            expected: """
                merge into "analytics"."orders" as DBT_INTERNAL_DEST
                using "orders__sqlt_tmp_abc123" as DBT_INTERNAL_SOURCE
                on (DBT_INTERNAL_SOURCE."id" = DBT_INTERNAL_DEST."id")
                when matched then update set "id" = DBT_INTERNAL_SOURCE."id", "amount" = DBT_INTERNAL_SOURCE."amount", "old" = DBT_INTERNAL_SOURCE."old"
                when not matched then insert ("id", "amount", "old")
                values (DBT_INTERNAL_SOURCE."id", DBT_INTERNAL_SOURCE."amount", DBT_INTERNAL_SOURCE."old")
                """),
        StrategyCase(
            config: [
                "unique_key": ["id", "amount"], "incremental_strategy": "merge",
                "incremental_predicates": ["DBT_INTERNAL_DEST.id > 10"],
            ],
            expected: """
                merge into "analytics"."orders" as DBT_INTERNAL_DEST
                using "orders__sqlt_tmp_abc123" as DBT_INTERNAL_SOURCE
                on (DBT_INTERNAL_DEST.id > 10) and (DBT_INTERNAL_SOURCE."id" = DBT_INTERNAL_DEST."id" and DBT_INTERNAL_SOURCE."amount" = DBT_INTERNAL_DEST."amount")
                when matched then update set "id" = DBT_INTERNAL_SOURCE."id", "amount" = DBT_INTERNAL_SOURCE."amount", "old" = DBT_INTERNAL_SOURCE."old"
                when not matched then insert ("id", "amount", "old")
                values (DBT_INTERNAL_SOURCE."id", DBT_INTERNAL_SOURCE."amount", DBT_INTERNAL_SOURCE."old")
                """),
        StrategyCase(
            config: ["incremental_strategy": "merge"],
            expected: """
                merge into "analytics"."orders" as DBT_INTERNAL_DEST
                using "orders__sqlt_tmp_abc123" as DBT_INTERNAL_SOURCE
                on FALSE
                when not matched then insert ("id", "amount", "old")
                values (DBT_INTERNAL_SOURCE."id", DBT_INTERNAL_SOURCE."amount", DBT_INTERNAL_SOURCE."old")
                """),
        StrategyCase(
            config: [
                "unique_key": ["id", "amount"], "incremental_strategy": "delete+insert",
                "incremental_predicates": ["DBT_INTERNAL_DEST.amount > 0"],
            ],
            expected: """
                delete from "analytics"."orders" as DBT_INTERNAL_DEST
                using "orders__sqlt_tmp_abc123" as DBT_INTERNAL_SOURCE
                where (DBT_INTERNAL_SOURCE."id" = DBT_INTERNAL_DEST."id" and DBT_INTERNAL_SOURCE."amount" = DBT_INTERNAL_DEST."amount")
                  and (DBT_INTERNAL_DEST.amount > 0);
                insert into "analytics"."orders" ("id", "amount", "old")
                (select "id", "amount", "old" from "orders__sqlt_tmp_abc123")
                """),
        StrategyCase(
            config: ["unique_key": "id", "incremental_strategy": "append"],
            expected: """
                insert into "analytics"."orders" ("id", "amount", "old")
                (select "id", "amount", "old" from "orders__sqlt_tmp_abc123")
                """),
    ])
    func strategy(_ example: StrategyCase) throws {
        let (_, swap) = try Self.plan(example.config)
        #expect(PlanFixture.text(swap.transaction) == example.expected)
        #expect(swap.transaction.last?.reportsRows == true)
    }

    @Test(arguments: [
        (
            "append_new_columns",
            """
            alter table "analytics"."orders" add column "fresh" text;
            insert into "analytics"."orders" ("id", "amount", "fresh")
            (select "id", "amount", "fresh" from "orders__sqlt_tmp_abc123")
            """
        ),
        (
            "sync_all_columns",
            """
            alter table "analytics"."orders" add column "fresh" text;
            alter table "analytics"."orders" drop column "old";
            alter table "analytics"."orders" alter column "amount" type bigint using "amount"::bigint;
            insert into "analytics"."orders" ("id", "amount", "fresh")
            (select "id", "amount", "fresh" from "orders__sqlt_tmp_abc123")
            """
        ),
        (
            "ignore",
            """
            insert into "analytics"."orders" ("id", "amount", "old")
            (select "id", "amount", "old" from "orders__sqlt_tmp_abc123")
            """
        ),
    ])
    func onSchemaChange(mode: String, expected: String) throws {
        let (_, swap) = try Self.plan(["on_schema_change": .string(mode)])
        #expect(PlanFixture.text(swap.transaction) == expected)
    }

    @Test func onSchemaChangeFailNamesColumns() {
        do {
            _ = try Self.plan(["on_schema_change": "fail"])
            Issue.record("expected a diagnostic")
        } catch {
            #expect(
                error.message.contains("added columns [fresh]; removed columns [old]; changed types [amount: bigint]"))
        }
        let same = [ColumnShape("id", "int"), ColumnShape("amount", "numeric"), ColumnShape("old", "text")]
        #expect((try? Self.plan(["on_schema_change": "fail"], incoming: same)) != nil)
    }

    @Test func deleteInsertNeedsAKey() {
        #expect(throws: Diagnostic.self) { try Self.plan(["incremental_strategy": "delete+insert"]) }
        #expect(throws: Diagnostic.self) { try Self.plan(["incremental_strategy": "insert_overwrite"]) }
    }
}
