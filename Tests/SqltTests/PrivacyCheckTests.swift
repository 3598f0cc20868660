import Foundation
import TestSupport
import Testing

/// `sqlt privacy check|report` and `sqlt lineage` through the built binary, on a temporary copy of the
/// flagship project (no database needed).
@Suite struct PrivacyCheckTests {

    static func sqlt(_ arguments: [String], in folder: URL) throws -> (status: Int32, output: String) {
        try VersionTests.run(arguments + ["--project-dir", folder.path])
    }

    @Test func flagshipPasses() throws {
        let folder = try FlagshipProject.copy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.sqlt(["privacy", "check"], in: folder)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("Privacy check passed"))
        let data = try Data(contentsOf: folder.appendingPathComponent("target/lineage.json"))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let nodes = json?["nodes"] as? [String: Any]
        #expect(nodes?["model.sport_activities.gold_slack_message_activities"] != nil)
    }

    struct Leak: Sendable, CustomTestStringConvertible {
        var column: String
        var expression: String
        var allow: String
        var origin: String
        var testDescription: String { column }
    }

    @Test(arguments: [
        Leak(
            column: "adresse", expression: "r.adresse_domicile", allow: "[indirect, direct]",
            origin: "seed.sport_activities.rh_info.Adresse du domicile"),
        Leak(
            column: "salaire", expression: "r.salaire_brut", allow: "[indirect, direct]",
            origin: "seed.sport_activities.rh_info.Salaire brut"),
    ])
    func leakIntoGoldFails(leak: Leak) throws {
        let folder = try FlagshipProject.copy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sql = """
            select r.id_salarie, \(leak.expression) as \(leak.column)
            from {{ ref('bronze_rh_info') }} r
            """
        try sql.write(to: folder.appendingPathComponent("models/gold/gold_leak.sql"), atomically: true, encoding: .utf8)
        let yml = """
            version: 2
            models:
              - name: gold_leak
                description: A crafted leak.
                config:
                  meta:
                    privacy: {allow: \(leak.allow)}
                columns:
                  - name: id_salarie
                    meta: {pii: indirect}
                  - name: \(leak.column)
                    description: Leaked.
            """
        try yml.write(
            to: folder.appendingPathComponent("models/gold/_gold_leak.yml"), atomically: true, encoding: .utf8)
        let result = try Self.sqlt(["privacy", "check"], in: folder)
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("models/gold/_gold_leak.yml:11:7"), "\(result.output)")
        #expect(result.output.contains("column \(leak.column) of gold_leak"))
        #expect(result.output.contains(leak.origin))
        #expect(result.output.contains("declares no meta.pii"))
        if leak.column == "salaire" {
            #expect(result.output.contains("not in its privacy allow list"))
        }
    }

    @Test func reportListsPurposeAndRetention() throws {
        let folder = try FlagshipProject.copy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let markdown = try Self.sqlt(["privacy", "report"], in: folder)
        #expect(markdown.status == 0, "\(markdown.output)")
        #expect(markdown.output.contains("## model.sport_activities.silver_activities"))
        #expect(markdown.output.contains("- Retention: 7 years (on `date_debut`)"))
        #expect(markdown.output.contains("| salaire_brut | sensitive | seed.sport_activities.rh_info.Salaire brut |"))
        let json = try Self.sqlt(["privacy", "report", "--format", "json"], in: folder)
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        let entries = object?["entries"] as? [[String: Any]] ?? []
        let silver = entries.first { $0["unique_id"] as? String == "model.sport_activities.silver_rh_info" }
        #expect((silver?["purpose"] as? String)?.contains("pseudonymised") == true)
        let columns = silver?["personal_data"] as? [[String: Any]] ?? []
        #expect(columns.contains { $0["column"] as? String == "nom_affiche" && $0["privacy"] as? String == "direct" })
        #expect(!columns.contains { $0["column"] as? String == "distance_domicile_km" })
    }

    @Test func lineageCommandPrintsColumns() throws {
        let folder = try FlagshipProject.copy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.sqlt(
            ["lineage", "silver_rh_info", "--column", "nom_affiche", "--upstream"], in: folder)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("nom_affiche  [direct]"))
        #expect(result.output.contains("<- seed.sport_activities.rh_info.Prénom  DIRECT/TRANSFORMATION"))
        let down = try Self.sqlt(["lineage", "rh_info", "--column", "Adresse du domicile", "--downstream"], in: folder)
        #expect(down.status == 0, "\(down.output)")
        #expect(down.output.contains("-> model.sport_activities.bronze_rh_info.adresse_domicile"))
    }
}
