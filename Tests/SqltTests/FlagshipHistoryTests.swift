import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// The flagship's HR history: the `hr_history` snapshot records a change of business unit and
/// commute mode, `gold_employee_as_of` answers for a past date and for now, and `sqlt rgpd
/// export|forget` reach every version of the person in the snapshot.
@Suite(.serialized) struct FlagshipHistoryTests {
    @Test func historyAnswersForAPastDateAndForgetErasesEveryVersion() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let project = try FlagshipProject.copy()
            defer { try? FileManager.default.removeItem(at: project) }
            let url = settings.url()
            func sqlt(_ arguments: String...) throws -> String {
                let outcome = try SqltProcess.run(arguments + ["--project-dir", project.path, "--database-url", url])
                #expect(
                    outcome.exitCode == 0,
                    "sqlt \(arguments.joined(separator: " ")) failed:\n\((outcome.stdout + outcome.stderr).suffix(3000))"
                )
                return outcome.stdout + outcome.stderr
            }
            let history = qualifiedName(schema + "_snapshots", "hr_history")
            let asOf = qualifiedName(schema + "_gold", "gold_employee_as_of")
            let rhInfo = qualifiedName(schema + "_bronze", "rh_info")
            _ = try sqlt("build")
            let employees = Int(try connection.execute("select count(*) from \(rhInfo)").scalar ?? "0") ?? 0
            #expect(employees > 100)
            #expect(
                try connection.execute("select count(*) from \(history) where dbt_valid_to is null").scalar
                    == String(employees))

            // The HR export changes: employee A moves to Finance and walks; B leaves.
            let ids = try connection.execute(
                "select \"ID salarié\" from \(rhInfo) where \"BU\" <> 'Finance' order by 1 limit 2"
            ).rows.map { $0[0]! }
            let (a, b) = (ids[0], ids[1])
            let before = try connection.execute(
                "select \"BU\", \"Moyen de déplacement\" from \(rhInfo) where \"ID salarié\" = $1", [a]
            ).rows[0]
            try connection.execute(
                "update \(rhInfo) set \"BU\" = 'Finance', \"Moyen de déplacement\" = 'Marche/running' where \"ID salarié\" = $1",
                [a])
            // The HR and sport exports keep their headers as written (seeds/*.xlsx).
            for (table, key) in [
                ("sport_activities", "id_salarie"), ("sport_enterprise", "ID salarié"), ("rh_info", "ID salarié"),
            ] {
                try connection.execute(
                    "delete from \(qualifiedName(schema + "_bronze", table)) where \(quoteIdentifier(key)) = $1", [b])
            }
            let built = try sqlt("build", "--exclude-resource-type", "seed")
            #expect(built.contains("OK snapshotted \(schema)_snapshots.hr_history"))

            let versions = try connection.execute(
                "select bu, moyen_deplacement, dbt_valid_to is null from \(history) where id_salarie = $1 order by dbt_valid_from",
                [a]
            ).rows
            #expect(versions == [[before[0], before[1], "f"], ["Finance", "Marche/running", "t"]])
            #expect(
                try connection.execute(
                    "select count(*) from \(history) where id_salarie = $1 and dbt_valid_to is null", [b]
                ).scalar == "0")

            // As of now: the new version; as of the first snapshot: the old one; B only in the past.
            #expect(
                try connection.execute("select bu, moyen_deplacement from \(asOf) where id_salarie = $1", [a]).rows == [
                    ["Finance", "Marche/running"]
                ])
            #expect(try connection.execute("select count(*) from \(asOf) where id_salarie = $1", [b]).scalar == "0")
            let firstSnapshot = try #require(
                try connection.execute("select min(dbt_valid_from)::text from \(history)").scalar)
            _ = try sqlt("run", "-s", "gold_employee_as_of", "--vars", "{as_of: '\(firstSnapshot)'}")
            #expect(
                try connection.execute("select bu, moyen_deplacement from \(asOf) where id_salarie = $1", [a]).rows == [
                    before
                ])
            #expect(try connection.execute("select count(*) from \(asOf) where id_salarie = $1", [b]).scalar == "1")

            // Right of access and erasure reach every version of A in the snapshot.
            let exported = try RGPDFlagshipTests.counts(try sqlt("rgpd", "export", "--subject", "id_salarie=\(a)"))
            #expect(exported["snapshot.sport_activities.hr_history"] == 2)
            let forgot = try sqlt("rgpd", "forget", "--subject", "id_salarie=\(a)")
            #expect(forgot.contains("deleted 2 rows from snapshot.sport_activities.hr_history"), "\(forgot)")
            #expect(try connection.execute("select count(*) from \(history) where id_salarie = $1", [a]).scalar == "0")
            #expect(try connection.execute("select count(*) from \(history) where id_salarie = $1", [b]).scalar == "1")
            // The next runs do not bring A back into the history.
            _ = try sqlt("build")
            #expect(try connection.execute("select count(*) from \(history) where id_salarie = $1", [a]).scalar == "0")
            let after = try RGPDFlagshipTests.counts(try sqlt("rgpd", "export", "--subject", "id_salarie=\(a)"))
            #expect(after.values.allSatisfy { $0 == 0 }, "rows left: \(after.filter { $0.value != 0 })")
            // Nor does a source that still holds them (a table loaded outside sqlt): the snapshot
            // run leaves forgotten subjects out of what it records.
            try connection.execute(
                "insert into \(rhInfo) (\"ID salarié\", \"Nom\", \"Prénom\", \"BU\", \"Moyen de déplacement\", \"Salaire brut\", \"Type de contrat\") values ($1, 'X', 'Y', 'Finance', 'Marche/running', 30000, 'CDI')",
                [a])
            _ = try sqlt("snapshot")
            #expect(try connection.execute("select count(*) from \(history) where id_salarie = $1", [a]).scalar == "0")
            #expect(
                try connection.execute("select count(*) from \(history) where dbt_valid_to is null").scalar
                    == String(employees - 1),
                "everyone but the forgotten person (the seed reload brought the other one back)")
        }
    }
}
