import ArgumentParser
import Foundation
import ModelCompiler
import ModelRunner

/// `sqlt notify`: sends what a built model holds to a chat.
struct NotifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify", abstract: "Send the rows of a built model to a chat.",
        subcommands: [NotifySlackCommand.self])
}

/// `sqlt notify slack --model M --column C`: posts one line per row of a column of a built model
/// to a Slack incoming webhook; posts nothing when the model has no row. The project's own
/// connection (profiles, `--database-url`, the embedded server) finds the table, so a scheduler
/// needs nothing else. Only the named column is read and sent: the model decides what is public.
struct NotifySlackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slack", abstract: "Post one line per row of a model's column to a Slack webhook.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("model"), help: "The model whose rows are posted.")
    var model: String

    @Option(name: .customLong("column"), help: "The column holding each line (default: message).")
    var column = "message"

    @Option(name: .customLong("order-by"), help: "A column to post the lines in order of.")
    var orderBy: String?

    @Option(name: .customLong("title"), help: "A first line for each message.")
    var title: String?

    @Option(name: .customLong("webhook-url"), help: "The Slack incoming webhook (default $SLACK_WEBHOOK_URL).")
    var webhookURL: String?

    @Option(name: .customLong("lines-per-message"), help: "Lines per Slack message (default 50).")
    var linesPerMessage = 50

    @Flag(name: .customLong("dry-run"), help: "Print the messages instead of posting them.")
    var dryRun = false

    func run() throws {
        let root = global.projectURL
        let webhook = try resolveWebhook()
        let session = try ProjectSession.open(global)
        let resolved = try session.resolveConnection()
        let compiled = try session.compile(target: session.targetInfo(resolved), warnError: false, checkSQL: false)
        let node = try findModel(compiled.manifest)
        let known = Set(node.columns.keys)
        for name in [column] + (orderBy.map { [$0] } ?? []) where !known.isEmpty && !known.contains(name) {
            throw Diagnostic.error(
                "notify.column", "model '\(model)' declares no column '\(name)'",
                at: node.patchPath.map { SourceLocation(file: $0, line: 1, column: 1) },
                hint: closestMatch(to: name, in: known).map { "did you mean '\($0)'?" })
        }
        let settings = try session.connect(resolved)
        let connection = try PostgresConnection(settings: settings)
        defer { connection.close() }
        let relation = qualifiedName(node.schema, node.alias)
        let order = orderBy.map { " order by \(quoteIdentifier($0)), 1" } ?? " order by 1"
        let lines = try Self.lines(
            "select cast(\(quoteIdentifier(column)) as text) from \(relation) where \(quoteIdentifier(column)) is not null\(order)",
            connection: connection,
            missing: "\(relation) does not exist: build '\(model)' first (sqlt build -s \(model))")
        guard !lines.isEmpty else {
            Console.print("Nothing to post: \(relation) has no row.")
            return
        }
        let slack = SlackWebhook(
            url: webhook ?? URL(string: "http://127.0.0.1/")!, linesPerMessage: linesPerMessage)
        let bodies = slack.payloads(lines, title: title)
        if dryRun || webhook == nil {
            for body in bodies { Console.print(String(decoding: body, as: UTF8.self)) }
            Console.print("Dry run: \(lines.count) lines in \(bodies.count) messages, nothing posted.")
            return
        }
        try slack.post(bodies)
        Console.print("Posted \(lines.count) lines of \(relation) to Slack in \(bodies.count) messages.")
    }

    /// The query's first column; a missing table is a failed step (exit 1) with `missing`.
    static func lines(_ sql: String, connection: PostgresConnection, missing: String) throws -> [String] {
        let result: QueryResult
        do {
            result = try connection.execute(sql)
        } catch {
            if error.sqlState == "42P01" { throw CommandFailure.error(missing, exitCode: 1) }
            throw error
        }
        return result.rows.compactMap { $0[0] }
    }

    /// The webhook URL, or nil for a dry run; a missing one is a configuration error otherwise.
    func resolveWebhook() throws -> URL? {
        let text =
            webhookURL ?? ProcessInfo.processInfo.environment["SLACK_WEBHOOK_URL"].flatMap { $0.isEmpty ? nil : $0 }
        guard let text else {
            if dryRun { return nil }
            throw Diagnostic.error(
                "notify.webhook", "no Slack webhook: pass --webhook-url or set SLACK_WEBHOOK_URL (or use --dry-run)")
        }
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil
        else {
            throw Diagnostic.error("notify.webhook", "the Slack webhook must be an http(s) URL, got '\(text)'")
        }
        return url
    }

    func findModel(_ manifest: Manifest) throws -> ManifestNode {
        let models = manifest.nodes.values.filter { $0.resourceType == .model }
        if let node = models.first(where: { $0.name == model }) { return node }
        throw Diagnostic.error(
            "notify.model", "unknown model '\(model)'",
            hint: closestMatch(to: model, in: models.map(\.name)).map { "did you mean '\($0)'?" })
    }
}
