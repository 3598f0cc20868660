import ArgumentParser
import Foundation
import ModelCompiler
import ModelRunner

/// `sqlt rgpd export|forget|retention`: the data subject's rights and storage limitation.
///
/// A relation holds the subject when its built relation has a column of the subject's name, or a
/// column that column lineage derives from it (DIRECT IDENTITY/TRANSFORMATION), or a unique key
/// of an upstream relation holding the subject (see `RGPDScope`); relations derived from the
/// subject's data without any of these (aggregates) hold no row of the person and are listed as such.
struct RgpdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rgpd", abstract: "Right of access, right to erasure and retention (RGPD/GDPR).",
        subcommands: [Export.self, Forget.self, Reapply.self, Retention.self])

    struct SubjectOptions: ParsableArguments {
        @Option(
            name: .customLong("subject"),
            help: "The data subject as column=value (for example id_salarie=12345); several are AND'ed.")
        var subject: [String] = []

        func subjects() throws -> [RGPDSubject] {
            guard !subject.isEmpty else {
                throw Diagnostic.error(
                    "rgpd.subject", "missing --subject", hint: "for example --subject id_salarie=12345")
            }
            return try subject.map { text throws(Diagnostic) in try RGPDSubject.parse(text) }
        }
    }

    /// `sqlt rgpd export`: every row of the subject, as JSON grouped by relation.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export every row of a data subject across seeds, models and sources as JSON (right of access).",
            discussion: """
                A relation holds the subject when its built relation has the subject's column, a column that \
                column lineage derives from it (DIRECT IDENTITY or TRANSFORMATION, renamed keys), or a unique \
                key (unique_key or a unique test) of an upstream relation holding the subject (rows linked by \
                it, such as messages by activity id). Rows are grouped by relation with its unique id, values \
                typed as PostgreSQL's json renders them. Relations derived from the subject's data without any \
                such column (aggregates) are listed under without_rows; relations the user cannot read are \
                marked readable: false.
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var subject: SubjectOptions
        @Option(
            name: [.customShort("o"), .customLong("output")], help: "Write the JSON to this file instead of stdout.")
        var output: String?

        func run() throws {
            try RgpdContext.perform(global) { context in
                let scope = try context.scope(try subject.subjects())
                let rows = try RGPDExport.collect(scope, session: context.connection)
                let document = RGPDExport.document(scope, rows: rows)
                if let output {
                    let url = URL(
                        fileURLWithPath: output,
                        relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
                    try AtomicFile.write(document.utf8, toFile: url.path)
                    let total = rows.reduce(0) { $0 + $1.count }
                    Console.error(
                        "exported \(total) rows from \(rows.filter { $0.count > 0 }.count) relations to \(url.path)")
                } else {
                    FileHandle.standardOutput.write(Data(SecretEnvVars.scrubbed(bytes: Array(document.utf8))))
                }
            }
        }
    }

    /// `sqlt rgpd forget`: deletes the subject from every table sqlt builds.
    struct Forget: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Delete a data subject from every seed and table sqlt builds, in one transaction (right to erasure).",
            discussion: """
                Tables (seeds, table and incremental models) lose the subject's rows, children first; views \
                need nothing; materialized views are refreshed. Every relation is counted again before the \
                commit: if a table still holds the subject, everything is rolled back. The subject is recorded \
                as a keyed SHA-256 (never the raw key) in <target schema>_sqlt.sqlt_rgpd_forgotten; the key is \
                SQLT_RGPD_SECRET or .sqlt/rgpd_secret. Sources are outside sqlt's control: those still holding \
                the subject are listed so their owners can be notified. A later `sqlt seed` of a CSV that still \
                holds the subject removes them inside the load transaction; `sqlt rgpd reapply` does the same \
                for tables reloaded outside sqlt.
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var subject: SubjectOptions
        @Flag(name: .customLong("dry-run"), help: "Only count the rows that would be deleted.")
        var dryRun = false
        @Option(name: .customLong("lock-timeout"), help: "Seconds to wait for a run on the same target to finish.")
        var lockTimeout: Double = 60

        func run() throws {
            try RgpdContext.perform(global) { context in
                let subjects = try subject.subjects()
                let scope = try context.scope(subjects)
                let ledger = dryRun ? nil : try context.ledger()
                let report = try context.locked(timeout: lockTimeout) {
                    try RGPDForget.run(scope, session: context.connection, dryRun: dryRun, ledger: ledger)
                }
                let who = subjects.map(\.description).joined(separator: " and ")
                Console.print(dryRun ? "Dry run: nothing deleted for \(who)" : "Forgot \(who)")
                for outcome in report.outcomes {
                    let name = "\(outcome.relation.uniqueId) (\(outcome.relation.displayName))"
                    let left = outcome.rowsAfter.map { "\($0) rows" } ?? "not readable by this user, rows unknown"
                    switch outcome.action {
                    case .deleted:
                        let rows = (outcome.rowsBefore ?? 0) - (dryRun ? 0 : outcome.rowsAfter ?? 0)
                        let link =
                            outcome.relation.link.map { " (rows linked by \($0.column) to \($0.parentId))" } ?? ""
                        Console.print("  \(dryRun ? "would delete" : "deleted") \(rows) rows from \(name)\(link)")
                    case .followsParents:
                        Console.print("  view \(name): nothing to delete, \(left) left through its parents")
                    case .refreshed:
                        Console.print(
                            "  materialized view \(name): \(dryRun ? "would be refreshed" : "refreshed"), \(left) left")
                    case .notifyOwner:
                        Console.print("  source \(name): outside sqlt's control, \(left) remain: notify its owner")
                    }
                }
                for relation in scope.withoutKey {
                    Console.print(
                        "  \(relation.uniqueId) (\(relation.displayName)): derived without \(subjects.map(\.column).joined(separator: ", ")) (aggregated), holds no row of the person"
                    )
                }
                if !dryRun {
                    Console.print(
                        "\(report.rowsDeleted) rows deleted; recorded in \(ledger?.schema ?? "").\(RGPDLedger.tableName)"
                    )
                }
                let sources = report.sourcesHolding
                if !sources.isEmpty {
                    Console.print("Notify the owners of: " + sources.map(\.relation.uniqueId).joined(separator: ", "))
                }
            }
        }
    }

    /// `sqlt rgpd reapply`: deletes the forgotten subjects again (after a seed reload).
    struct Reapply: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Delete again every subject recorded as forgotten from the tables sqlt builds (after data was reloaded outside sqlt)."
        )
        @OptionGroup var global: GlobalOptions
        @Flag(name: .customLong("dry-run"), help: "Only count the rows that would be deleted.")
        var dryRun = false
        @Option(name: .customLong("lock-timeout"), help: "Seconds to wait for a run on the same target to finish.")
        var lockTimeout: Double = 60

        func run() throws {
            try RgpdContext.perform(global) { context in
                let ledger = try context.ledger()
                let results = try context.locked(timeout: lockTimeout) {
                    try RGPDReapply.run(
                        ledger: ledger, manifest: context.compiled.manifest, graph: context.compiled.graph,
                        catalog: context.catalog,
                        session: context.connection, dryRun: dryRun)
                }
                if results.isEmpty {
                    Console.print(
                        "No forgotten subject recorded in \(ledger.schema).\(RGPDLedger.tableName): nothing to do.")
                }
                for result in results {
                    Console.print(
                        "  \(dryRun ? "would delete" : "deleted") \(result.rows) rows of forgotten subjects (by \(result.keyColumns.joined(separator: ", "))) from \(result.relation.uniqueId) (\(result.relation.displayName))"
                    )
                }
            }
        }
    }

    /// `sqlt rgpd retention`: deletes rows older than each relation's retention.
    struct Retention: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Delete rows older than meta.retention {field, keep} of each seed, model and source, in one transaction.",
            discussion: """
                meta: {retention: {field: <date or timestamp column>, keep: '<interval>'}}, in the properties or \
                config(meta=...). Rows with field < now() - keep are deleted from tables (seeds, table and \
                incremental models, sources), parents first; views follow their parents; materialized views \
                are refreshed. Derived tables rebuilt by `sqlt run` follow at the next run; incremental models \
                without their own retention keep their rows, and are named in a warning.
                """)
        @OptionGroup var global: GlobalOptions
        @Flag(name: .customLong("dry-run"), help: "Only count the rows that would be deleted.")
        var dryRun = false
        @Option(name: .customLong("lock-timeout"), help: "Seconds to wait for a run on the same target to finish.")
        var lockTimeout: Double = 60

        func run() throws {
            try RgpdContext.perform(global) { context in
                let outcomes = try context.locked(timeout: lockTimeout) {
                    try RGPDRetention.run(
                        manifest: context.compiled.manifest, graph: context.compiled.graph, catalog: context.catalog,
                        session: context.connection, dryRun: dryRun)
                }
                if outcomes.isEmpty { Console.print("No relation declares meta.retention: nothing to do.") }
                for outcome in outcomes {
                    let name =
                        outcome.relation.map { "\(outcome.rule.uniqueId) (\($0.displayName))" } ?? outcome.rule.uniqueId
                    Console.print(
                        "  \(name): \(outcome.expiredRows) rows with \(outcome.rule.field) older than \(outcome.rule.keep): \(outcome.action)"
                    )
                }
                for id in try RGPDRetention.unprotectedDescendants(
                    manifest: context.compiled.manifest, graph: context.compiled.graph)
                {
                    Console.print(
                        "  warning: \(id) keeps its own rows (incremental) and declares no meta.retention: its expired rows stay"
                    )
                }
            }
        }
    }
}

/// What every `rgpd` subcommand needs: the compiled project, a connection and the catalog.
struct RgpdContext {
    let session: ProjectSession
    let compiled: CompiledProject
    let settings: ConnectionSettings
    let connection: PostgresConnection
    let catalog: RelationListing

    /// The record of forgotten subjects of this target, keyed with the project's RGPD secret.
    func ledger() throws -> RGPDLedger {
        RGPDLedger(targetSchema: settings.schema, secret: try RGPDLedger.loadSecret(projectDir: session.root.path))
    }

    /// Opens the project, compiles it, connects and reads the catalog; reports errors as other commands do.
    static func perform(_ global: GlobalOptions, _ body: (RgpdContext) throws -> Void) throws {
        let session = try ProjectSession.open(global)
        let resolved = try session.resolveConnection()
        let compiled = try session.compile(target: session.targetInfo(resolved), warnError: false, checkSQL: false)
        let settings = try session.connect(resolved)
        let connection = try PostgresConnection(settings: settings)
        let catalog = try RelationListingReader.read(
            schemas: RGPDScope.schemas(of: compiled.manifest), session: connection)
        try body(
            RgpdContext(
                session: session, compiled: compiled, settings: settings, connection: connection, catalog: catalog))
    }

    /// Runs `body` holding the target's run lock, so no `sqlt run` rebuilds a table from rows read
    /// before the change and swaps it in after it.
    func locked<T>(timeout: Double, _ body: () throws -> T) throws -> T {
        let lock = try RunLock.acquire(
            session: connection, schema: settings.schema, invocationId: session.invocationId, timeout: timeout)
        defer { lock.release() }
        return try body()
    }
    /// The relations holding the subjects (see `RGPDScope.resolve(subjects:compiled:catalog:fileSystem:)`).
    func scope(_ subjects: [RGPDSubject]) throws -> RGPDScope {
        try RGPDScope.resolve(subjects: subjects, compiled: compiled, catalog: catalog, fileSystem: session.fs)
    }
}
