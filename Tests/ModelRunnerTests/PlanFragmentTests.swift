import Foundation
import ModelCompiler
import Testing

@testable import ModelRunner

/// Small pure pieces: type-name spelling, error line mapping, schema-change summaries, settings.
@Suite struct PlanFragmentTests {
    @Test(arguments: [
        ("int", "integer"), ("INT4", "integer"), ("int8", "bigint"), ("varchar(20)", "character varying(20)"),
        ("timestamptz", "timestamp with time zone"), ("numeric(10, 2)", "numeric(10,2)"), ("decimal", "numeric"),
        ("text", "text"),
    ])
    func typeNames(written: String, canonical: String) {
        #expect(TypeNames.normalize(written) == canonical)
    }

    @Test(arguments: [(nil as Int?, 0), (1, 0), (9, 0), (10, 1), (18, 1), (19, 2)])
    func errorPositionToLine(position: Int?, lines: Int) {
        // Position 9 is the first newline; 10 starts line 2 and 19 line 3.
        #expect(StatementRecorder.lineOffset(of: position, in: "select 1\n  from x\n  where y") == lines)
    }

    @Test func schemaChangeSummary() {
        let change = SchemaChange(
            existing: [ColumnShape("a", "integer"), ColumnShape("b", "text")],
            incoming: [ColumnShape("a", "int4"), ColumnShape("c", "date")])
        #expect(change.added == [ColumnShape("c", "date")])
        #expect(change.removed == [ColumnShape("b", "text")])
        #expect(change.retyped.isEmpty)
        #expect(change.summary == "added columns [c]; removed columns [b]")
    }

    @Test func settingsReadEveryKey() throws {
        let node = PlanFixture.node(config: [
            "indexes": [["columns": "id", "unique": "true", "type": "BRIN"]], "grants": ["SELECT": "reader"],
            "persist_docs": ["relation": true], "contract": ["enforced": true], "unlogged": true,
            "partition_by": "created_at", "incremental_predicates": "x > 1", "pre-hook": "select 1",
            "post_hook": [["sql": "select 2"]],
        ])
        let settings = try ModelSettings(node: node)
        #expect(settings.indexes == [IndexConfig(columns: ["id"], unique: true, type: "brin")])
        #expect(settings.grants == ["select": ["reader"]])
        #expect(settings.persistRelationDocs && !settings.persistColumnDocs)
        #expect(settings.contractEnforced && settings.unlogged)
        #expect(settings.partition == PartitionConfig(field: "created_at", granularity: "month"))
        #expect(settings.incrementalPredicates == ["x > 1"])
        #expect(settings.preHooks == ["select 1"])
        #expect(settings.postHooks == ["select 2"])
    }

    @Test func badPartitionGranularityPointsAtTheModel() {
        let node = PlanFixture.node(config: ["partition_by": ["field": "d", "granularity": "week"]])
        do {
            _ = try ModelSettings(node: node)
            Issue.record("expected a diagnostic")
        } catch {
            #expect(error.message == "partition granularity 'week' is not one of day, month, year")
            #expect(error.location?.file == "models/orders.sql")
        }
    }
}
