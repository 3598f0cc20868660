import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// `sqlt rgpd export|forget|retention` on a copy of the flagship project, against the harness server.
@Suite(.serialized) struct RGPDFlagshipTests {

    /// Runs sqlt in `project` against `url`; fails the test with the output on a non-zero exit.
    static func sqlt(_ arguments: [String], project: URL, url: String, expectSuccess: Bool = true) throws -> String {
        let result = try VersionTests.run(arguments + ["--project-dir", project.path, "--database-url", url])
        if expectSuccess {
            #expect(result.status == 0, "sqlt \(arguments.joined(separator: " ")) failed:\n\(result.output)")
        }
        return result.output
    }

    /// The row count per unique id of an export document.
    static func counts(_ json: String) throws -> [String: Int] {
        let start = json.firstIndex(of: "{") ?? json.startIndex
        let object = try JSONSerialization.jsonObject(with: Data(json[start...].utf8)) as? [String: Any]
        let relations = object?["relations"] as? [[String: Any]] ?? []
        var counts: [String: Int] = [:]
        for relation in relations {
            if let id = relation["unique_id"] as? String { counts[id] = (relation["rows"] as? [Any])?.count ?? -1 }
        }
        return counts
    }

    @Test func exportForgetAndRunAgainKeepsThePersonOut() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let project = try FlagshipProject.copy()
            defer { try? FileManager.default.removeItem(at: project) }
            let url = settings.url()
            _ = try Self.sqlt(["build"], project: project, url: url)

            // An employee with a message in the slack table (so the linked rule is exercised too).
            let subject = try connection.execute(
                """
                select a.id_salarie from \(qualifiedName(schema + "_gold", "gold_slack_message_activities")) m
                join \(qualifiedName(schema + "_silver", "silver_activities")) a using (id_activity) order by 1 limit 1
                """
            ).scalar
            let id = try #require(subject)

            let exported = try Self.counts(
                try Self.sqlt(["rgpd", "export", "--subject", "id_salarie=\(id)"], project: project, url: url))
            #expect(exported["seed.sport_activities.rh_info"] == 1)
            #expect(exported["model.sport_activities.silver_rh_info"] == 1)
            #expect((exported["model.sport_activities.silver_activities"] ?? 0) > 0)
            #expect((exported["model.sport_activities.gold_slack_message_activities"] ?? 0) > 0)
            #expect(exported["model.sport_activities.gold_sport_activities_per_bu"] == nil)

            for arguments in [
                ["forget", "--subject", "no_such_column=1"], ["export", "--subject", "id_salarie"], ["export"],
            ] {
                let result = try VersionTests.run(
                    ["rgpd"] + arguments + ["--project-dir", project.path, "--database-url", url])
                #expect(result.status == 2, "\(arguments): \(result.output)")
            }

            let dryRun = try Self.sqlt(
                ["rgpd", "forget", "--subject", "id_salarie=\(id)", "--dry-run"], project: project, url: url)
            #expect(dryRun.contains("would delete 1 rows from seed.sport_activities.rh_info"))
            #expect(
                try Self.counts(
                    try Self.sqlt(["rgpd", "export", "--subject", "id_salarie=\(id)"], project: project, url: url))
                    == exported)

            let forgot = try Self.sqlt(["rgpd", "forget", "--subject", "id_salarie=\(id)"], project: project, url: url)
            #expect(forgot.contains("deleted 1 rows from seed.sport_activities.rh_info"))
            #expect(forgot.contains("gold_sport_activities_per_bu") && forgot.contains("holds no row of the person"))
            let ledger = try connection.execute(
                "select key_columns, subject_hash from \(qualifiedName(schema + "_sqlt", "sqlt_rgpd_forgotten"))")
            #expect(ledger.rows.count == 1)
            #expect(ledger.rows.first?[0] == "id_salarie")
            #expect(ledger.rows.first?[1] != id)

            // The next incremental run does not bring the person back.
            _ = try Self.sqlt(["run"], project: project, url: url)
            let after = try Self.counts(
                try Self.sqlt(["rgpd", "export", "--subject", "id_salarie=\(id)"], project: project, url: url))
            #expect(Set(after.keys) == Set(exported.keys))
            #expect(after.values.allSatisfy { $0 == 0 }, "rows left: \(after.filter { $0.value != 0 })")
            // A seed reload of a CSV that still holds the person keeps them out: the loader removes
            // forgotten subjects inside its load transaction.
            _ = try Self.sqlt(["seed"], project: project, url: url)
            let rhInfo = qualifiedName(schema + "_bronze", "rh_info")
            #expect(
                try connection.execute("select count(*) from \(rhInfo) where \"ID salarié\" = $1", [id]).scalar == "0")
            #expect(try connection.execute("select count(*) from \(rhInfo)").scalar.flatMap(Int.init) ?? 0 > 100)
            // Reapply has nothing left to do, and a full build (seeds included) does not bring them back.
            _ = try Self.sqlt(["rgpd", "reapply"], project: project, url: url)
            _ = try Self.sqlt(["build"], project: project, url: url)
            let afterReload = try Self.counts(
                try Self.sqlt(["rgpd", "export", "--subject", "id_salarie=\(id)"], project: project, url: url))
            #expect(afterReload.values.allSatisfy { $0 == 0 }, "rows left: \(afterReload.filter { $0.value != 0 })")
            // Someone else is untouched.
            let others = try connection.execute(
                "select count(*) from \(qualifiedName(schema + "_silver", "silver_rh_info"))"
            ).scalar
            #expect(Int(others ?? "0") ?? 0 > 100)
        }
    }

    @Test func retentionDeletesOldRowsAndDryRunChangesNothing() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let project = try FlagshipProject.copy()
            defer { try? FileManager.default.removeItem(at: project) }
            let url = settings.url()
            _ = try Self.sqlt(["build", "--exclude-resource-type", "test"], project: project, url: url)
            let landing = qualifiedName(schema + "_bronze", "sport_activities")
            let silver = qualifiedName(schema + "_silver", "silver_activities")
            try connection.execute(
                """
                insert into \(landing) (id_activity, id_salarie, date_debut, sport_type, distance_m, date_fin, commentaire, loaded_at)
                select 999999, id_salarie, timestamp '2010-03-01 08:00', 'Runing', 5000, timestamp '2010-03-01 08:40', null, now()
                from \(landing) limit 1
                """)
            _ = try Self.sqlt(["run", "-s", "silver_activities"], project: project, url: url)
            func count(_ table: String) throws -> Int {
                Int(try connection.execute("select count(*) from \(table)").scalar ?? "0") ?? 0
            }
            let landingBefore = try count(landing), silverBefore = try count(silver)

            let dryRun = try Self.sqlt(["rgpd", "retention", "--dry-run"], project: project, url: url)
            #expect(
                dryRun.contains(
                    "seed.sport_activities.sport_activities (\(schema)_bronze.sport_activities): 1 rows with date_debut older than 7 years: would delete"
                ))
            #expect(try count(landing) == landingBefore)
            #expect(try count(silver) == silverBefore)

            let applied = try Self.sqlt(["rgpd", "retention"], project: project, url: url)
            #expect(
                applied.contains(
                    "model.sport_activities.silver_activities (\(schema)_silver.silver_activities): 1 rows with date_debut older than 7 years: deleted"
                ))
            #expect(try count(landing) == landingBefore - 1)
            #expect(try count(silver) == silverBefore - 1)
            #expect(try count("\(silver) where id_activity = 999999") == 0)
        }
    }
}
