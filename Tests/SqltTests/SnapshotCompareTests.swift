import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// `sqlt snapshot` and `sqlt build` on the comparison project of `scripts/snapshot_compare`:
/// after the same sequence of source changes (inserts, updates, deletes, a re-insert, a new
/// column, a changed composite key), every snapshot table (three strategies by three hard-delete
/// modes, YAML and block forms, `dbt_valid_to_current`, renamed meta columns, an expression key)
/// equals `expected.txt`, the tables dbt-postgres 1.11 built from the same steps
/// (`scripts/snapshot_dbt_compare.sh --write-expected`).
@Suite(.serialized) struct SnapshotCompareTests {
    static let folder = FlagshipProject.root.appendingPathComponent("scripts/snapshot_compare")

    /// A copy of the comparison project whose source lives in `rawSchema`.
    static func copyProject(rawSchema: String) throws -> URL {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sqlt-snapcmp-\(UUID().uuidString.prefix(8))")
        try FileManager.default.copyItem(at: folder.appendingPathComponent("project"), to: copy)
        let sources = copy.appendingPathComponent("models/sources.yml")
        let text = try String(contentsOf: sources, encoding: .utf8).replacingOccurrences(
            of: "snapshot_compare_raw", with: rawSchema)
        try text.write(to: sources, atomically: true, encoding: .utf8)
        return copy
    }

    /// The `-- step N:` sections of steps.sql.
    static func steps() throws -> [String] {
        let text = try String(contentsOf: folder.appendingPathComponent("steps.sql"), encoding: .utf8)
        return text.components(separatedBy: "-- step ").dropFirst().map { "-- step " + $0 }
    }

    /// The tables as normalize.sql prints them, in expected.txt's layout.
    static func dump(_ connection: PostgresConnection, schema: String, tables: [String]) throws -> String {
        let normalize = try String(contentsOf: folder.appendingPathComponent("normalize.sql"), encoding: .utf8)
        var lines: [String] = []
        for table in tables {
            lines.append("## \(table)")
            let columns = try connection.execute(
                """
                select 'columns: ' || string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' order by attnum)
                from pg_attribute where attrelid = to_regclass($1) and attnum > 0 and not attisdropped
                """, [qualifiedName(schema, table)]
            ).scalar
            lines.append(columns ?? "columns: none")
            let sql = normalize.replacingOccurrences(of: "__TABLE__", with: qualifiedName(schema, table))
                .split(separator: "\n").filter { !$0.hasPrefix("--") }.joined(separator: "\n")
            lines += try connection.execute(sql).rows.map { $0[0] ?? "" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func snapshotTablesEqualWhatDbtPostgresBuilds() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let raw = schema + "_raw"
            let project = try Self.copyProject(rawSchema: raw)
            defer { try? FileManager.default.removeItem(at: project) }
            try connection.execute("create schema \(quoteIdentifier(raw))")
            defer { _ = try? connection.execute("drop schema if exists \(quoteIdentifier(raw)) cascade") }
            func sqlt(_ arguments: String...) throws -> SqltProcess.Outcome {
                let outcome = try SqltProcess.run(
                    arguments + ["--database-url", settings.url(), "--project-dir", project.path])
                #expect(
                    outcome.exitCode == 0,
                    "sqlt \(arguments.joined(separator: " ")) failed:\n\((outcome.stdout + outcome.stderr).suffix(3000))"
                )
                return outcome
            }
            let steps = try Self.steps()
            #expect(steps.count == 5)
            for (index, step) in steps.enumerated() {
                try connection.execute("set search_path to \(quoteIdentifier(raw))")
                try connection.executeScript(step)
                if index == steps.count - 1 {
                    // The last step, with no change: `sqlt build` runs the snapshots, then the model on one.
                    let built = try sqlt("build")
                    #expect(built.stdout.contains("snapshot \(schema).ts_invalidate"), "\(built.stdout)")
                    #expect(built.stdout.contains("ERROR=0"))
                } else {
                    let run = try sqlt("snapshot")
                    #expect(run.stdout.contains("ERROR=0") && run.stdout.contains("TOTAL=9"), "\(run.stdout)")
                }
            }
            let expected = try String(contentsOf: Self.folder.appendingPathComponent("expected.txt"), encoding: .utf8)
            let tables = expected.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) }
            #expect(tables.count == 10)
            let actual = try Self.dump(connection, schema: schema, tables: tables)
            let expectedBlocks = Self.blocks(expected.split(separator: "\n"))
            let actualBlocks = Self.blocks(actual.split(separator: "\n"))
            for table in tables {
                #expect(actualBlocks[table] == expectedBlocks[table], "snapshot \(table) differs from dbt-postgres'")
            }
            #expect(actual == expected)

            let manifest =
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: project.appendingPathComponent("target/manifest.json"))) as? [String: Any]
            let node =
                (manifest?["nodes"] as? [String: Any])?["snapshot.snapshot_compare.yaml_ts_current"] as? [String: Any]
            #expect(node?["resource_type"] as? String == "snapshot")
            let model =
                (manifest?["nodes"] as? [String: Any])?["model.snapshot_compare.people_current"] as? [String: Any]
            #expect(
                (model?["depends_on"] as? [String: Any])?["nodes"] as? [String] == [
                    "snapshot.snapshot_compare.ts_invalidate"
                ])
        }
    }

    /// `## table` blocks of a dump, by table, in order.
    static func blocks(_ lines: [Substring]) -> [String: [Substring]] {
        var result: [String: [Substring]] = [:]
        var current: String?
        for line in lines {
            if line.hasPrefix("## ") {
                current = String(line.dropFirst(3))
                result[current!] = []
            } else if let current, !line.isEmpty {
                result[current]?.append(line)
            }
        }
        return result
    }
}
