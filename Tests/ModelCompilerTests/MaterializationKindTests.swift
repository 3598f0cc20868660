import Foundation
import Testing

@testable import ModelCompiler

/// `materialized`, `incremental_strategy` and `on_schema_change` parsed into enums once, with a
/// diagnostic at the model's file for a name sqlt does not know.
@Suite struct MaterializationKindTests {
    @Test(arguments: [
        ("view", MaterializationKind.view), ("table", .table), ("incremental", .incremental),
        ("ephemeral", .ephemeral), ("materialized_view", .materializedView), ("snapshot", .snapshot), ("seed", .seed),
    ])
    func parsesDbtNames(_ name: String, _ kind: MaterializationKind) {
        #expect(MaterializationKind(config: ["materialized": .string(name)]) == kind)
        #expect(kind.rawValue == name)
    }

    @Test func defaultsToViewAndRejectsUnknownNames() {
        #expect(MaterializationKind(config: [:]) == .view)
        #expect(MaterializationKind(config: ["materialized": "nosuch"]) == nil)
        #expect(MaterializationKind(config: ["materialized": "Table"]) == nil)  // dbt's names are case-sensitive
    }

    @Test func aNodeKeepsItsKindInStepWithItsConfig() throws {
        var node = ManifestNode(
            uniqueId: "model.shop.m", resourceType: .model, name: "m", packageName: "shop", path: "m.sql",
            originalFilePath: "models/m.sql", fqn: ["shop", "m"], schema: "analytics", alias: "m", rawCode: "select 1",
            config: ["materialized": "table"])
        #expect(node.materialization == .table)
        let copy = node
        node.config["materialized"] = "incremental"
        #expect(node.materialization == .incremental)
        #expect(copy.materialization == .table)
        node.config["materialized"] = "bogus"
        #expect(node.materialization == nil)
        node.config = [:]
        #expect(node.materialization == .view)
        // Read back from manifest.json, where only the configuration's string is written.
        node.config["materialized"] = "materialized_view"
        let data = try JSONEncoder().encode(node)
        #expect(String(decoding: data, as: UTF8.self).contains(#""materialized":"materialized_view""#))
        #expect(try JSONDecoder().decode(ManifestNode.self, from: data).materialization == .materializedView)
    }

    @Test(
        arguments: [
            ([:], IncrementalStrategy.append), (["unique_key": "id"], .merge),
            (["incremental_strategy": "MERGE"], .merge),
            (["incremental_strategy": "append", "unique_key": "id"], .append),
            (["incremental_strategy": "delete+insert", "unique_key": "id"], .deleteInsert),
        ] as [(NodeConfig, IncrementalStrategy)])
    func incrementalStrategy(_ config: NodeConfig, _ expected: IncrementalStrategy) throws {
        #expect(try IncrementalStrategy(config: config, file: "models/m.sql") == expected)
    }

    @Test(arguments: [
        (
            ["incremental_strategy": "insert_overwrite"] as NodeConfig,
            "incremental_strategy 'insert_overwrite' is not one of merge, delete+insert, append"
        ),
        (["incremental_strategy": "delete+insert"], "incremental_strategy 'delete+insert' needs a unique_key"),
    ])
    func strategyDiagnostic(_ config: NodeConfig, _ message: String) {
        do {
            _ = try IncrementalStrategy(config: config, file: "models/m.sql")
            Issue.record("expected a diagnostic")
        } catch {
            #expect(error.message == message)
            #expect(error.location?.file == "models/m.sql" && error.location?.line == 1)
        }
    }

    @Test func onSchemaChange() throws {
        #expect(try OnSchemaChange(config: [:], file: "m.sql") == .ignore)
        #expect(try OnSchemaChange(config: ["on_schema_change": "Sync_All_Columns"], file: "m.sql") == .syncAllColumns)
        #expect(
            try OnSchemaChange(config: ["on_schema_change": "append_new_columns"], file: "m.sql") == .appendNewColumns)
        do {
            _ = try OnSchemaChange(config: ["on_schema_change": "drop"], file: "models/m.sql")
            Issue.record("expected a diagnostic")
        } catch {
            #expect(
                error.message
                    == "on_schema_change 'drop' is not one of ignore, fail, append_new_columns, sync_all_columns")
            #expect(error.location?.file == "models/m.sql")
        }
    }

    @Test func skipReasonsSayWhy() {
        #expect(SkipReason.failed("model.shop.a").explanation == "model.shop.a failed")
        #expect(SkipReason.failed("model.shop.a").description == "model.shop.a")
        #expect(SkipReason.dependencyCycle.explanation == "of a dependency cycle")
        #expect(SkipReason.cancelled.explanation == "the run was cancelled")
    }
}
