import Foundation
import ModelCompiler
import Testing

@testable import ModelRunner

/// Golden SQL of the snapshot materialization (no database); the rows this SQL gives are checked
/// against dbt-postgres' in `SqltTests/SnapshotCompareTests`.
@Suite struct SnapshotPlanTests {
    static func input(_ config: NodeConfig, existing: [(String, String)]? = nil) -> MaterializationInput {
        var node = PlanFixture.node(
            "people_snapshot", schema: "snapshots", config: ["materialized": "snapshot"].merging(config) { $1 })
        node.resourceType = .snapshot
        return PlanFixture.input(node, existing: existing == nil ? nil : .table, columns: existing ?? [])
    }

    static let source = [
        ColumnShape("id", "integer"), ColumnShape("name", "text"),
        ColumnShape("updated_at", "timestamp without time zone"),
    ]
    static let snapshotColumns = [
        ("id", "integer"), ("name", "text"), ("updated_at", "timestamp without time zone"), ("dbt_scd_id", "text"),
        ("dbt_updated_at", "timestamp without time zone"), ("dbt_valid_from", "timestamp without time zone"),
        ("dbt_valid_to", "timestamp without time zone"),
    ]

    @Test func stagesTheQueryOnce() throws {
        let input = Self.input(["strategy": "timestamp", "unique_key": "id", "updated_at": "updated_at"])
        let stage = try SnapshotMaterialization().stage(input)
        #expect(
            PlanFixture.text(stage.statements) == """
                drop table if exists "people_snapshot__sqlt_tmp_abc123";
                create temporary table "people_snapshot__sqlt_tmp_abc123" as (
                select 1 as id
                )
                """)
        #expect(stage.staged == StagedRelation(lookupName: #""people_snapshot__sqlt_tmp_abc123""#, needsColumns: true))
    }

    @Test func firstRunCreatesTheTableInTheTransaction() throws {
        let input = Self.input([
            "strategy": "timestamp", "unique_key": "id", "updated_at": "updated_at", "hard_deletes": "new_record",
            "dbt_valid_to_current": "'9999-12-31'::timestamp",
        ])
        let swap = try SnapshotMaterialization().swap(input, facts: StageFacts(columns: Self.source))
        #expect(
            PlanFixture.text(swap.transaction) == """
                create table "snapshots"."people_snapshot" as (
                select *,
                    md5(coalesce(cast(id as varchar), '') || '|' || coalesce(cast(updated_at as varchar), '')) as "dbt_scd_id",
                    updated_at as "dbt_updated_at",
                    updated_at as "dbt_valid_from",
                    coalesce(nullif(updated_at, updated_at), '9999-12-31'::timestamp) as "dbt_valid_to",
                    'False'::text as "dbt_is_deleted"
                from "people_snapshot__sqlt_tmp_abc123" as sbq
                )
                """)
        #expect(swap.transaction.last?.reportsRows == true)
        #expect(PlanFixture.text(swap.cleanup) == #"drop table if exists "people_snapshot__sqlt_tmp_abc123""#)
    }

    @Test func laterRunStagesChangesThenClosesAndInserts() throws {
        let input = Self.input(
            ["strategy": "timestamp", "unique_key": "id", "updated_at": "updated_at", "invalidate_hard_deletes": true],
            existing: Self.snapshotColumns)
        let swap = try SnapshotMaterialization().swap(input, facts: StageFacts(columns: Self.source))
        #expect(
            PlanFixture.text(swap.transaction) == """
                create temporary table "people_snapshot__sqlt_stg_abc123" on commit drop as (
                with source_data as (
                    select *, id as dbt_unique_key, updated_at as "__sqlt_updated_at", md5(coalesce(cast(id as varchar), '') || '|' || coalesce(cast(updated_at as varchar), '')) as "__sqlt_scd_id"
                    from "people_snapshot__sqlt_tmp_abc123"
                ),
                snapshotted_data as (
                    select *, id as dbt_unique_key
                    from "snapshots"."people_snapshot"
                    where "snapshots"."people_snapshot"."dbt_valid_to" is null
                )
                select 'insert'::text as dbt_change_type,
                    source_data."id", source_data."name", source_data."updated_at", source_data.dbt_unique_key, source_data."__sqlt_updated_at" as "dbt_updated_at", source_data."__sqlt_updated_at" as "dbt_valid_from", nullif(source_data."__sqlt_updated_at", source_data."__sqlt_updated_at") as "dbt_valid_to", source_data."__sqlt_scd_id" as "dbt_scd_id"
                from source_data
                left join snapshotted_data on snapshotted_data.dbt_unique_key = source_data.dbt_unique_key
                where snapshotted_data.dbt_unique_key is null
                    or ((snapshotted_data."dbt_valid_from" < source_data."__sqlt_updated_at"))
                union all
                select 'update'::text as dbt_change_type,
                    source_data."id", source_data."name", source_data."updated_at", source_data.dbt_unique_key, source_data."__sqlt_updated_at", source_data."__sqlt_updated_at", source_data."__sqlt_updated_at", snapshotted_data."dbt_scd_id"
                from source_data
                join snapshotted_data on snapshotted_data.dbt_unique_key = source_data.dbt_unique_key
                where ((snapshotted_data."dbt_valid_from" < source_data."__sqlt_updated_at"))
                union all
                select 'delete'::text as dbt_change_type,
                    null, null, null, snapshotted_data.dbt_unique_key, now()::timestamp without time zone, now()::timestamp without time zone, now()::timestamp without time zone, snapshotted_data."dbt_scd_id"
                from snapshotted_data
                left join source_data on snapshotted_data.dbt_unique_key = source_data.dbt_unique_key
                where source_data.dbt_unique_key is null
                );
                update "snapshots"."people_snapshot"
                set "dbt_valid_to" = changes."dbt_valid_to"
                from "people_snapshot__sqlt_stg_abc123" as changes
                where changes."dbt_scd_id"::text = "snapshots"."people_snapshot"."dbt_scd_id"::text
                  and changes.dbt_change_type in ('update', 'delete')
                  and "snapshots"."people_snapshot"."dbt_valid_to" is null;
                insert into "snapshots"."people_snapshot" ("id", "name", "updated_at", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to", "dbt_scd_id")
                select "id", "name", "updated_at", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to", "dbt_scd_id"
                from "people_snapshot__sqlt_stg_abc123"
                where dbt_change_type = 'insert'
                """)
        #expect(swap.transaction.filter(\.reportsRows).map { String($0.sql.prefix(11)) } == ["insert into"])
    }

    @Test func checkStrategyComparesColumnsNullSafelyOrEverythingWhenOneIsNew() throws {
        let list = Self.input(
            ["strategy": "check", "unique_key": "id", "check_cols": ["name"]], existing: Self.snapshotColumns)
        let listed = PlanFixture.text(
            try SnapshotMaterialization().swap(list, facts: StageFacts(columns: Self.source)).transaction)
        #expect(
            listed.contains(
                """
                where ((snapshotted_data."name" != source_data."name" or ((snapshotted_data."name" is null) and not (source_data."name" is null)) or ((not snapshotted_data."name" is null) and (source_data."name" is null))))
                """))
        #expect(listed.contains(#"now()::timestamp without time zone as "__sqlt_updated_at""#))
        #expect(!listed.contains("'delete'::text"))
        let withNew = Self.input(
            ["strategy": "check", "unique_key": "id", "check_cols": "all"], existing: Self.snapshotColumns)
        let columns = Self.source + [ColumnShape("bu", "text")]
        let plan = PlanFixture.text(
            try SnapshotMaterialization().swap(withNew, facts: StageFacts(columns: columns)).transaction)
        #expect(plan.hasPrefix(#"alter table "snapshots"."people_snapshot" add column "bu" text;"#))
        #expect(plan.contains("where ((TRUE))"))
    }

    struct Widening: Sendable, CustomTestStringConvertible {
        var target: String
        var source: String
        var hardDeletes: String
        var widenedTo: String?
        var testDescription: String { "\(target) <- \(source) (\(hardDeletes))" }
    }

    /// dbt's string widening, checked against dbt-postgres in the comparison project (varchar(10)
    /// to varchar(40): 40, or 256 with new_record, whose staged union loses the length).
    @Test(arguments: [
        Widening(
            target: "character varying(10)", source: "character varying(40)", hardDeletes: "ignore",
            widenedTo: "character varying(40)"),
        Widening(
            target: "character varying(10)", source: "character varying(40)", hardDeletes: "new_record",
            widenedTo: "character varying(256)"),
        Widening(
            target: "character varying(10)", source: "text", hardDeletes: "invalidate",
            widenedTo: "character varying(256)"),
        Widening(
            target: "character varying(40)", source: "character varying(10)", hardDeletes: "ignore", widenedTo: nil),
        Widening(target: "text", source: "character varying(100)", hardDeletes: "ignore", widenedTo: nil),
        Widening(target: "integer", source: "bigint", hardDeletes: "ignore", widenedTo: nil),
    ])
    func stringColumnsWidenAsDbtDoes(_ widening: Widening) throws {
        let input = Self.input(
            [
                "strategy": "timestamp", "unique_key": "id", "updated_at": "updated_at",
                "hard_deletes": .string(widening.hardDeletes),
            ],
            existing: Self.snapshotColumns.map { $0.0 == "name" ? ("name", widening.target) : $0 } + [
                ("dbt_is_deleted", "text")
            ])
        let source = Self.source.map { $0.name == "name" ? ColumnShape("name", widening.source) : $0 }
        let plan = PlanFixture.text(
            try SnapshotMaterialization().swap(input, facts: StageFacts(columns: source)).transaction)
        if let type = widening.widenedTo {
            #expect(
                plan.hasPrefix(
                    """
                    alter table "snapshots"."people_snapshot" add column "name__dbt_alter" \(type);
                    update "snapshots"."people_snapshot" set "name__dbt_alter" = "name";
                    alter table "snapshots"."people_snapshot" drop column "name" cascade;
                    alter table "snapshots"."people_snapshot" rename column "name__dbt_alter" to "name";
                    """))
        } else {
            #expect(!plan.contains("__dbt_alter"))
        }
    }

    @Test func renamedMetaColumnsAndNewRecordDeletions() throws {
        let input = Self.input(
            [
                "strategy": "timestamp", "unique_key": "id", "updated_at": "updated_at", "hard_deletes": "new_record",
                "snapshot_meta_column_names": ["dbt_valid_to": "valid_to", "dbt_is_deleted": "deleted"],
            ],
            existing: Self.snapshotColumns.map { ($0.0 == "dbt_valid_to" ? "valid_to" : $0.0, $0.1) })
        let plan = PlanFixture.text(
            try SnapshotMaterialization().swap(input, facts: StageFacts(columns: Self.source)).transaction)
        #expect(plan.hasPrefix(#"alter table "snapshots"."people_snapshot" add column "deleted" text;"#))
        #expect(plan.contains(#"where "snapshots"."people_snapshot"."valid_to" is null"#))
        #expect(plan.contains(#"or snapshotted_data."deleted" = 'True'"#))
        #expect(
            plan.contains(
                #"md5(coalesce(cast(snapshotted_data."dbt_scd_id" as varchar), '') || '|' || coalesce(cast(now()::timestamp without time zone as varchar), '')), 'True'::text"#
            ))
        #expect(plan.contains(#"set "valid_to" = changes."valid_to""#))
    }

    @Test func refusesAViewInPlaceATableWithoutTheColumnsAndAColumnClash() {
        var node = PlanFixture.node(
            "people_snapshot", schema: "snapshots",
            config: [
                "materialized": "snapshot", "strategy": "timestamp", "unique_key": "id", "updated_at": "updated_at",
            ])
        node.resourceType = .snapshot
        let view = PlanFixture.input(node, existing: .view)
        #expect(throws: Diagnostic.self) { try SnapshotMaterialization().stage(view) }
        let renamed = Self.input(
            [
                "strategy": "timestamp", "unique_key": "id", "updated_at": "updated_at",
                "snapshot_meta_column_names": ["dbt_valid_to": "valid_to"],
            ],
            existing: Self.snapshotColumns)
        #expect(throws: Diagnostic.self) {
            try SnapshotMaterialization().swap(renamed, facts: StageFacts(columns: Self.source))
        }
        let clash = Self.input(["strategy": "timestamp", "unique_key": "id", "updated_at": "updated_at"])
        #expect(throws: Diagnostic.self) {
            try SnapshotMaterialization().swap(
                clash, facts: StageFacts(columns: Self.source + [ColumnShape("dbt_valid_to", "timestamp")]))
        }
    }
}
