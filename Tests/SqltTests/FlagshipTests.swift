import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// The flagship project end to end through the `sqlt` binary on a real PostgreSQL: seed, build,
/// a second batch of activities (new, late and corrected rows) appended to the landing table,
/// an incremental build, then a full refresh; the gold tables must be identical after both.
@Suite(.serialized) struct FlagshipTests {
    static let goldTables = [
        "silver.silver_activities", "gold.gold_sport_activities_per_bu", "gold.gold_sport_activities_prime_last_year",
        "gold.gold_slack_message_activities", "gold.gold_potential_moyen_deplac_bonus",
        "gold.gold_incorrect_moyen_deplacement", "gold.gold_sport_commute_bonus",
    ]

    /// Every row of the silver activity table and the gold tables, sorted, as text.
    static func dump(_ connection: PostgresConnection, schema: String) throws -> [String: [String]] {
        var dump: [String: [String]] = [:]
        for table in goldTables {
            let parts = table.split(separator: ".")
            let relation = qualifiedName("\(schema)_\(parts[0])", String(parts[1]))
            dump[table] = try connection.execute("select t::text from \(relation) t order by 1").rows.map {
                $0[0] ?? ""
            }
        }
        return dump
    }

    @Test func incrementalRunEqualsFullRefresh() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let project = try FlagshipProject.copy()
            defer { try? FileManager.default.removeItem(at: project) }
            let url = settings.url()
            func sqlt(_ arguments: String...) throws -> SqltProcess.Outcome {
                let outcome = try SqltProcess.run(arguments + ["--database-url", url, "--project-dir", project.path])
                #expect(
                    outcome.exitCode == 0,
                    "sqlt \(arguments.joined(separator: " ")) failed:\n\((outcome.stdout + outcome.stderr).suffix(3000))"
                )
                return outcome
            }
            _ = try sqlt("seed")
            let first = try sqlt("build", "--exclude-resource-type", "seed")
            #expect(first.stdout.contains("ERROR=0"))
            let before = try Self.dump(connection, schema: schema)

            // The producer appends the second batch to the landing table.
            let batch = project.appendingPathComponent("scripts/data/activities_batch2.csv")
            let handle = try FileHandle(forReadingFrom: batch)
            let header = String(decoding: try #require(FileManager.default.contents(atPath: batch.path)), as: UTF8.self)
                .split(separator: "\n")[0]
            let copied = try connection.copyIn(
                "copy \(qualifiedName("\(schema)_bronze", "sport_activities")) (\(header)) from stdin with (format csv, header true)"
            ) {
                let data = handle.readData(ofLength: 1 << 16)
                return data.isEmpty ? nil : [UInt8](data)
            }
            #expect(copied > 0)

            _ = try sqlt("build", "--exclude-resource-type", "seed")
            let incremental = try Self.dump(connection, schema: schema)
            _ = try sqlt("build", "--full-refresh", "--exclude-resource-type", "seed")
            let fullRefresh = try Self.dump(connection, schema: schema)

            for table in Self.goldTables {
                #expect(
                    incremental[table] == fullRefresh[table], "\(table) differs between incremental and full refresh")
                #expect(!(fullRefresh[table] ?? []).isEmpty, "\(table) is empty")
            }
            // The second batch changed the activity table (new, late and corrected rows).
            #expect(before["silver.silver_activities"] != incremental["silver.silver_activities"])
            #expect(
                (incremental["silver.silver_activities"]?.count ?? 0) > (before["silver.silver_activities"]?.count ?? 0)
            )
        }
    }
}
