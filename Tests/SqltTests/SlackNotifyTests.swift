import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// `sqlt notify slack` on the flagship: the day's messages posted to a loopback webhook, in order,
/// without a last name or an employee id; nothing posted on a day without activity.
@Suite(.serialized) struct SlackNotifyTests {
    static func sqlt(_ arguments: [String], project: URL, url: String) throws -> SqltProcess.Outcome {
        try SqltProcess.run(
            arguments + ["--project-dir", project.path, "--database-url", url], environment: ["SLACK_WEBHOOK_URL": nil])
    }

    static let notify = ["notify", "slack", "--model", "gold_slack_message_activities", "--order-by", "date_debut"]

    @Test func postsTheDaysMessagesWithoutLastNamesAndNothingOnAnEmptyDay() async throws {
        let webhook = try LoopbackWebhook()
        defer { webhook.stop() }
        try await TestDatabase.withSchema { connection, schema, settings in
            let project = try FlagshipProject.copy()
            defer { try? FileManager.default.removeItem(at: project) }
            let url = settings.url()
            let build = try Self.sqlt(["build"], project: project, url: url)
            #expect(build.exitCode == 0, "\(build.stdout)\(build.stderr)")

            let posted = try Self.sqlt(Self.notify + ["--webhook-url", webhook.url], project: project, url: url)
            #expect(posted.exitCode == 0, "\(posted.stdout)\(posted.stderr)")
            #expect(webhook.paths == ["/services/T000/B000/XXXX"])
            let body = try #require(webhook.bodies.first)
            let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            let lines = (object?["text"] as? String ?? "").split(separator: "\n").map(String.init)

            // The same rows, read independently, with who they are about.
            let expected = try connection.execute(
                """
                select m.message, e."Nom", e."ID salarié"::text
                from \(qualifiedName(schema + "_gold", "gold_slack_message_activities")) m
                join \(qualifiedName(schema + "_silver", "silver_activities")) a using (id_activity)
                join \(qualifiedName(schema + "_bronze", "rh_info")) e on e."ID salarié" = a.id_salarie
                order by m.date_debut, m.message
                """
            ).rows
            #expect(!expected.isEmpty)
            #expect(lines == expected.map { $0[0] ?? "" })
            for row in expected {
                let (message, surname, id) = (row[0] ?? "", row[1] ?? "", row[2] ?? "")
                #expect(message.hasPrefix("Bravo "))
                #expect(!message.lowercased().contains(surname.lowercased()), "\(message) names \(surname)")
                #expect(!body.contains(id), "the body holds employee id \(id)")
            }
            // Nothing about salaries or addresses, even indirectly.
            #expect(!body.contains("€") && !body.lowercased().contains("rue "))

            // A day without activity: the model is empty, nothing is posted.
            let empty = try Self.sqlt(
                [
                    "build", "--exclude-resource-type", "seed", "test", "unit_test", "--vars",
                    "{reference_date: '2031-01-01'}",
                ], project: project, url: url)
            #expect(empty.exitCode == 0, "\(empty.stdout)\(empty.stderr)")
            let nothing = try Self.sqlt(Self.notify + ["--webhook-url", webhook.url], project: project, url: url)
            #expect(nothing.exitCode == 0)
            #expect(nothing.stdout.contains("Nothing to post"))
            #expect(webhook.bodies.count == 1)
        }
    }

    @Test func aRefusingWebhookFailsTheStepAndAMissingOneIsAConfigurationError() async throws {
        let refusing = try LoopbackWebhook(status: 500)
        defer { refusing.stop() }
        try await TestDatabase.withSchema { _, _, settings in
            let project = try FlagshipProject.copy()
            defer { try? FileManager.default.removeItem(at: project) }
            let url = settings.url()
            _ = try Self.sqlt(["build", "--exclude-resource-type", "test", "unit_test"], project: project, url: url)
            let refused = try Self.sqlt(Self.notify + ["--webhook-url", refusing.url], project: project, url: url)
            #expect(refused.exitCode == 1)
            #expect(refused.stderr.contains("HTTP 500"))
            let missing = try Self.sqlt(Self.notify, project: project, url: url)
            #expect(missing.exitCode == 2)
            #expect(missing.stderr.contains("SLACK_WEBHOOK_URL"))
            let unknown = try Self.sqlt(
                ["notify", "slack", "--model", "gold_slack_message_activity", "--dry-run"], project: project, url: url)
            #expect(unknown.exitCode == 2)
            #expect(unknown.stderr.contains("did you mean 'gold_slack_message_activities'?"))
            let dryRun = try Self.sqlt(
                Self.notify + ["--dry-run", "--lines-per-message", "2"], project: project, url: url)
            #expect(dryRun.exitCode == 0)
            #expect(dryRun.stdout.contains("nothing posted"))
        }
    }

    @Test func payloadsAreSplitAndEscaped() throws {
        let slack = SlackWebhook(url: URL(string: "http://127.0.0.1/")!, linesPerMessage: 2)
        let bodies = slack.payloads(["a \"b\"", "c", "d"], title: "Jour")
        #expect(bodies.count == 2)
        let texts = try bodies.map { try JSONSerialization.jsonObject(with: $0) as? [String: String] }
        #expect(texts.map { $0?["text"] } == ["Jour\na \"b\"\nc", "Jour\nd"])
        #expect(slack.payloads([], title: "Jour").isEmpty)
    }
}
