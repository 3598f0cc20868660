import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// The flagship project end to end through the `sqlt` binary on a real PostgreSQL: seed, build,
/// a second batch of activities (new, late and corrected rows) appended to the landing table,
/// an incremental build, then a full refresh; the gold tables must be identical after both.
/// The three incremental gold models must be updated in place (same table, not rebuilt) and still
/// equal the full refresh under late and corrected activities of past months and years, an
/// employee who changes business unit or drops below the prime threshold, and a moved
/// reference date and prime year.
@Suite(.serialized) struct FlagshipTests {
    static let goldTables = [
        "silver.silver_activities", "gold.gold_sport_activities_per_bu", "gold.gold_sport_activities_prime_last_year",
        "gold.gold_slack_message_activities", "gold.gold_potential_moyen_deplac_bonus",
        "gold.gold_incorrect_moyen_deplacement", "gold.gold_sport_commute_bonus",
    ]
    static let incrementalGold = [
        "gold_sport_activities_per_bu", "gold_sport_activities_prime_last_year", "gold_slack_message_activities",
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

    /// The table's identity: a full rebuild replaces it (new oid), an incremental run keeps it.
    static func oids(_ connection: PostgresConnection, schema: String) throws -> [String: String] {
        var oids: [String: String] = [:]
        for table in incrementalGold {
            oids[table] =
                try connection.execute(
                    "select \(quoteLiteral(qualifiedName(schema + "_gold", table)))::regclass::oid::text"
                ).rows.first?[0] ?? ""
        }
        return oids
    }

    /// A copy of the flagship, seeded and built once, with a `sqlt` runner bound to it.
    struct Built {
        let project: URL
        let url: String
        func sqlt(_ arguments: [String]) throws -> SqltProcess.Outcome {
            let outcome = try SqltProcess.run(arguments + ["--database-url", url, "--project-dir", project.path])
            #expect(
                outcome.exitCode == 0,
                "sqlt \(arguments.joined(separator: " ")) failed:\n\((outcome.stdout + outcome.stderr).suffix(3000))"
            )
            return outcome
        }
    }

    static func seededAndBuilt(_ settings: ConnectionSettings) throws -> Built {
        let built = Built(project: try FlagshipProject.copy(), url: settings.url())
        _ = try built.sqlt(["seed"])
        let first = try built.sqlt(["build", "--exclude-resource-type", "seed"])
        #expect(first.stdout.contains("ERROR=0"))
        return built
    }

    /// Incremental build, then full refresh: every table identical, the incremental gold tables
    /// updated in place.
    static func expectIncrementalEqualsFullRefresh(
        _ built: Built, _ connection: PostgresConnection, schema: String, extra: [String] = []
    ) throws -> (incremental: [String: [String]], fullRefresh: [String: [String]]) {
        let before = try oids(connection, schema: schema)
        let run = try built.sqlt(["build", "--exclude-resource-type", "seed"] + extra)
        #expect(run.stdout.contains("ERROR=0"))
        #expect(try oids(connection, schema: schema) == before, "an incremental gold table was rebuilt")
        let incremental = try dump(connection, schema: schema)
        _ = try built.sqlt(["build", "--full-refresh", "--exclude-resource-type", "seed"] + extra)
        let fullRefresh = try dump(connection, schema: schema)
        for table in goldTables {
            #expect(incremental[table] == fullRefresh[table], "\(table) differs between incremental and full refresh")
            #expect(!(fullRefresh[table] ?? []).isEmpty, "\(table) is empty")
        }
        return (incremental, fullRefresh)
    }

    @Test func incrementalRunEqualsFullRefresh() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let built = try Self.seededAndBuilt(settings)
            defer { try? FileManager.default.removeItem(at: built.project) }
            let before = try Self.dump(connection, schema: schema)

            // The producer appends the second batch to the landing table.
            let batch = built.project.appendingPathComponent("scripts/data/activities_batch2.csv")
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

            let (incremental, _) = try Self.expectIncrementalEqualsFullRefresh(built, connection, schema: schema)
            // The second batch changed the activity table (new, late and corrected rows).
            #expect(before["silver.silver_activities"] != incremental["silver.silver_activities"])
            #expect(
                (incremental["silver.silver_activities"]?.count ?? 0) > (before["silver.silver_activities"]?.count ?? 0)
            )
            for table in Self.incrementalGold {
                #expect(before["gold.\(table)"] != incremental["gold.\(table)"], "\(table) did not change")
            }
        }
    }

    /// Late and corrected activities of past months and of the prime year, an activity corrected
    /// to another employee, one leaving and one joining the reference day, an employee dropping
    /// below the prime threshold, and an employee moving to another business unit.
    @Test func lateCorrectedActivitiesAndABusinessUnitChange() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let built = try Self.seededAndBuilt(settings)
            defer { try? FileManager.default.removeItem(at: built.project) }
            let landing = qualifiedName("\(schema)_bronze", "sport_activities")
            let prime = qualifiedName("\(schema)_gold", "gold_sport_activities_prime_last_year")
            let slack = qualifiedName("\(schema)_gold", "gold_slack_message_activities")
            let perBU = qualifiedName("\(schema)_gold", "gold_sport_activities_per_bu")
            let columns =
                "id_activity, id_salarie, date_debut, sport_type, distance_m, date_fin, commentaire, loaded_at"
            func value(_ sql: String) throws -> String {
                try #require(try connection.execute(sql).rows.first?[0] ?? nil)
            }

            // The listed employee with the fewest activities in 2025: all but 3 corrected to 2024.
            let dropping = try value("select id_salarie::text from \(prime) order by nb_activites, id_salarie limit 1")
            _ = try connection.execute(
                """
                insert into \(landing) (\(columns))
                select id_activity, id_salarie, date_debut - interval '1 year', sport_type, distance_m,
                       date_fin - interval '1 year', 'Année corrigée', localtimestamp
                from (select *, row_number() over (order by id_activity) as n from \(landing)
                      where id_salarie = \(dropping) and date_debut >= '2025-01-01' and date_debut < '2026-01-01') a
                where n > 3
                """)
            // Another employee's 2025-09 activity corrected to a third employee; a late activity in
            // 2025-06 (past month of the window, prime year); one of the reference day's activities
            // corrected to the day before; a late activity on the reference day.
            let moved = try value(
                "select min(id_activity)::text from \(landing) where date_debut >= '2025-09-01' and date_debut < '2025-10-01' and id_salarie <> \(dropping)"
            )
            let leaving = try value("select min(id_activity)::text from \(slack)")
            let top = try value("select max(id_activity)::text from \(landing)")
            _ = try connection.execute(
                """
                insert into \(landing) (\(columns))
                select id_activity, (select min(id_salarie) from \(landing) where id_salarie <> a.id_salarie and id_salarie <> \(dropping)),
                       date_debut, sport_type, distance_m, date_fin, 'Mauvais salarié', localtimestamp
                from \(landing) a where id_activity = \(moved)
                union all
                select \(top) + 1, id_salarie, timestamp '2025-06-15 07:00:00', 'Natation', 1500,
                       timestamp '2025-06-15 07:45:00', 'Saisie tardive', localtimestamp
                from \(landing) where id_activity = \(moved)
                union all
                select id_activity, id_salarie, date_debut - interval '1 day', sport_type, distance_m,
                       date_fin - interval '1 day', 'Date corrigée', localtimestamp
                from \(landing) where id_activity = \(leaving)
                union all
                select \(top) + 2, id_salarie, timestamp '2026-02-23 12:00:00', 'Runing', 8000,
                       timestamp '2026-02-23 12:45:00', 'Saisie tardive du jour', localtimestamp
                from \(landing) where id_activity = \(moved)
                """)
            // An employee with activities in the window moves to another business unit.
            let rh = qualifiedName("\(schema)_bronze", "rh_info")
            let mover = try value(
                "select id_salarie::text from \(prime) where id_salarie <> \(dropping) order by nb_activites desc, id_salarie limit 1"
            )
            let oldBU = try value("select \"BU\" from \(rh) where \"ID salarié\" = \(mover)")
            let newBU = oldBU == "Finance" ? "Support" : "Finance"
            _ = try connection.execute(
                "update \(rh) set \"BU\" = \(quoteLiteral(newBU)) where \"ID salarié\" = \(mover)")
            let unitRows = "select bu || ' ' || sum(nb_activites) from \(perBU) group by bu order by bu"
            let unitsBefore = try connection.execute(unitRows).rows.map { $0[0] ?? "" }

            let (incremental, _) = try Self.expectIncrementalEqualsFullRefresh(built, connection, schema: schema)
            #expect(
                !(incremental["gold.gold_sport_activities_prime_last_year"] ?? []).contains {
                    $0.hasPrefix("(\(dropping),")
                })
            #expect(try value("select bu from \(prime) where id_salarie = \(mover)") == newBU)
            let day = incremental["gold.gold_slack_message_activities"] ?? []
            #expect(!day.contains { $0.hasPrefix("(\(leaving),") })
            #expect(day.contains { $0.hasPrefix("(\(Int(top)! + 2),") })
            #expect(try connection.execute(unitRows).rows.map { $0[0] ?? "" } != unitsBefore)
        }
    }

    /// The reference date and the prime year move: every group of the new window is computed and
    /// the old window's rows are gone, as in a full refresh.
    @Test func movedReferenceDateAndPrimeYear() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let built = try Self.seededAndBuilt(settings)
            defer { try? FileManager.default.removeItem(at: built.project) }
            let before = try Self.dump(connection, schema: schema)
            let vars = ["--vars", "{reference_date: '2026-01-14', prime_year: 2024}"]
            let (incremental, _) = try Self.expectIncrementalEqualsFullRefresh(
                built, connection, schema: schema, extra: vars)
            for table in Self.incrementalGold {
                #expect(before["gold.\(table)"] != incremental["gold.\(table)"], "\(table) did not change")
            }
            let perBU = qualifiedName("\(schema)_gold", "gold_sport_activities_per_bu")
            #expect(
                try connection.execute("select distinct periode_fin::text from \(perBU)").rows.map { $0[0] ?? "" } == [
                    "2026-01-14"
                ])
        }
    }
}
