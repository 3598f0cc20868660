import Foundation
import ModelCompiler
import TestSupport
import Testing

/// `sqlt ls --output json --output-keys ...` as astronomer-cosmos' `LoadMode.DBT_LS` calls it
/// (cosmos 1.x: `ls --output json --output-keys name unique_id resource_type depends_on
/// original_file_path tags config freshness`, then its project, profile and selection flags), and
/// dbt's other forms: keys in one comma- or space-separated argument, dotted nested keys.
@Suite struct ListOutputKeysTests {
    static let nowhere = "postgresql://nobody@127.0.0.1:1/none"

    static func project() throws -> URL {
        try TemporaryProject.write(
            [
                "dbt_project.yml": "name: shop\nprofile: shop\n",
                "profiles.yml":
                    "shop:\n  target: dev\n  outputs:\n    dev: {type: postgres, host: 127.0.0.1, port: 1, user: nobody, dbname: none, schema: s}\n",
                "models/orders.sql":
                    "{{ config(materialized='table', tags=['daily']) }}\nselect * from {{ source('raw', 'orders') }}",
                "models/schema.yml": """
                version: 2
                sources:
                  - name: raw
                    loaded_at_field: loaded_at
                    freshness: {warn_after: {count: 1, period: hour}}
                    tables: [{name: orders}]
                models:
                  - name: orders
                    columns:
                      - name: id
                        data_tests: [not_null]
                """,
            ], prefix: "lskeys")
    }

    /// Each output line as a JSON object, with its keys in the printed order.
    static func lines(_ stdout: String) throws -> [(keys: [String], value: JSONValue)] {
        try stdout.split(separator: "\n").filter { $0.hasPrefix("{") }.map { line in
            let value = try JSONDecoder().decode(JSONValue.self, from: Data(line.utf8))
            // The printed order of the top-level keys: each key's first quoted position.
            let keys = (value.objectValue ?? [:]).keys.sorted {
                (line.range(of: "\"\($0)\":")?.lowerBound ?? line.endIndex)
                    < (line.range(of: "\"\($1)\":")?.lowerBound ?? line.endIndex)
            }
            return (keys, value)
        }
    }

    @Test func cosmosDbtLsCommandLine() throws {
        let folder = try Self.project()
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = [
            "name", "unique_id", "resource_type", "depends_on", "original_file_path", "tags", "config", "freshness",
        ]
        let outcome = try SqltProcess.run(
            ["ls", "--output", "json", "--output-keys"] + keys + [
                "--project-dir", folder.path, "--profiles-dir", folder.path, "--profile", "shop", "--target", "dev",
                "--select", "+orders", "--vars", "{}", "--no-partial-parse",
            ])
        #expect(outcome.exitCode == 0, "\(outcome.stdout)\(outcome.stderr)")
        #expect(!outcome.stdout.contains("Error"))  // cosmos fails a dbt ls whose output says "Error"
        let lines = try Self.lines(outcome.stdout)
        // Test ids end with a hash of their arguments, as dbt's do.
        let byId = Dictionary(
            uniqueKeysWithValues: lines.map {
                let id = $0.value["unique_id"]?.stringValue ?? ""
                return (id.hasPrefix("test.") ? id.split(separator: ".").prefix(3).joined(separator: ".") : id, $0)
            })
        #expect(Set(byId.keys) == ["model.shop.orders", "source.shop.raw.orders", "test.shop.not_null_orders_id"])

        // A model has no freshness: every other key, in the order asked.
        let model = try #require(byId["model.shop.orders"])
        #expect(model.keys == keys.filter { $0 != "freshness" })
        #expect(model.value["depends_on"]?["nodes"]?.stringList == ["source.shop.raw.orders"])
        #expect(model.value["config"]?["materialized"]?.stringValue == "table")
        #expect(model.value["tags"]?.stringList == ["daily"])
        #expect(model.value["original_file_path"]?.stringValue == "models/orders.sql")
        // The source's freshness, which cosmos reads for its source tasks.
        let source = try #require(byId["source.shop.raw.orders"])
        #expect(source.value["resource_type"]?.stringValue == "source")
        #expect(source.value["freshness"]?["warn_after"]?["count"]?.intValue == 1)
        let test = try #require(byId["test.shop.not_null_orders_id"])
        #expect(test.value["depends_on"]?["nodes"]?.stringList == ["model.shop.orders"])
    }

    @Test func commaSeparatedAndDottedKeys() throws {
        let folder = try Self.project()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try SqltProcess.run([
            "ls", "--output", "json", "--output-keys", "unique_id,config.materialized", "config.no_such name",
            "--resource-type", "model", "--project-dir", folder.path, "--database-url", Self.nowhere,
        ])
        #expect(outcome.exitCode == 0, "\(outcome.stdout)\(outcome.stderr)")
        let lines = try Self.lines(outcome.stdout)
        #expect(lines.count == 1)
        // A dotted key is printed under its dotted name, and left out when it leads nowhere.
        #expect(lines.first?.keys == ["unique_id", "config.materialized", "name"])
        #expect(lines.first?.value["config.materialized"]?.stringValue == "table")

        // Without --output-keys: the node's whole entry, as before.
        let whole = try SqltProcess.run([
            "ls", "--output", "json", "--resource-type", "model", "--project-dir", folder.path, "--database-url",
            Self.nowhere,
        ])
        let entry = try #require(try Self.lines(whole.stdout).first)
        #expect(entry.keys.contains("fqn") && entry.keys.contains("package_name"))
    }
}
