import ArgumentParser
import Foundation
import ModelCompiler
import ModelRunner

/// Computing and writing `target/lineage.json` for the CLI commands.
enum LineageArtifacts {
    /// The project's column lineage (masking functions from `vars.sqlt_masking_functions`); prints
    /// masking configuration problems, and lineage warnings when `printWarnings` is set.
    static func build(
        _ session: ProjectSession, _ compiled: CompiledProject, printWarnings: Bool, models: Set<String>? = nil
    ) -> ProjectLineage {
        let masking = MaskingConfiguration.functions(for: compiled)
        if !masking.warnings.isEmpty { ErrorReporting.printDiagnostics(masking.warnings, projectRoot: session.root) }
        let lineage = ProjectLineage.build(
            compiled: compiled, maskingFunctions: masking.functions, fileSystem: session.fs, models: models)
        if printWarnings, !lineage.warnings.isEmpty {
            ErrorReporting.printDiagnostics(lineage.warnings, projectRoot: session.root)
        }
        return lineage
    }

    /// Writes `lineage.json` in the target folder.
    static func write(_ lineage: ProjectLineage, to targetDir: URL) throws {
        try FileManager.default.createDirectory(at: targetDir, withIntermediateDirectories: true)
        let data = try lineage.jsonData()
        try AtomicFile.write(data, toFile: ArtifactPaths.lineageURL(targetPath: targetDir).path)
    }

    /// Builds and writes `target/lineage.json`; a failure to write is a warning (lineage never fails a command).
    /// With `database`, relations whose columns the project does not know are looked up in its catalog.
    /// With `models`, only their lineage (and their upstream models') is computed, for a run's
    /// OpenLineage events, and `lineage.json` is left as the last whole-project command wrote it.
    @discardableResult
    static func buildAndWrite(
        _ session: ProjectSession, _ compiled: CompiledProject, database: ConnectionSettings? = nil,
        models: Set<String>? = nil
    ) -> ProjectLineage {
        var lineage = build(session, compiled, printWarnings: false, models: models)
        if let database, !lineage.unknownRelations.isEmpty {
            lineage = refine(lineage, session, compiled, settings: database, models: models)
        }
        guard models == nil else { return lineage }
        do { try write(lineage, to: session.targetDir) } catch {
            Console.error("warning: cannot write lineage.json: \(error.localizedDescription)")
        }
        return lineage
    }

    /// The lineage again, with the columns of relations it did not know read from the database catalog;
    /// the first lineage when the catalog cannot be read.
    static func refine(
        _ lineage: ProjectLineage, _ session: ProjectSession, _ compiled: CompiledProject, settings: ConnectionSettings,
        models: Set<String>? = nil
    ) -> ProjectLineage {
        let schemas = Set(lineage.unknownRelations.map { $0.schema ?? settings.schema })
        let snapshot: RelationListing
        do {
            let connection = try PostgresConnection(settings: settings)
            snapshot = try RelationListingReader.read(schemas: schemas, session: connection)
        } catch {
            Console.error("warning: lineage: cannot read the database catalog: \(error)")
            return lineage
        }
        let database = snapshot.lineageColumns(defaultSchema: settings.schema)
        let masking = MaskingConfiguration.functions(for: compiled)
        return ProjectLineage.build(
            compiled: compiled, maskingFunctions: masking.functions, database: database, fileSystem: session.fs,
            models: models)
    }
}

/// `sqlt lineage <model> [--column c] [--upstream|--downstream]`: a model's column lineage as text.
struct LineageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "Print a model's column lineage.",
        discussion: """
            Without a direction, prints each column's direct inputs. --upstream follows DIRECT edges up to \
            seeds and sources (INDIRECT inputs are listed, not followed); --downstream lists every column \
            that reads the model's columns, recursively. Each column shows its computed personal-data class.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The model (or seed, or source `source_name.table`) name or unique id.") var model: String
    @Option(name: .customLong("column"), help: "Only this column.") var column: String?
    @Flag(name: .customLong("upstream"), help: "Follow inputs up to seeds and sources.") var upstream = false
    @Flag(name: .customLong("downstream"), help: "Follow the columns that read this one.") var downstream = false

    func validate() throws {
        if upstream && downstream { throw ValidationError("--upstream and --downstream are exclusive") }
    }

    func run() throws {
        let session = try ProjectSession.open(global)
        let compiled = try session.compile(
            target: session.targetInfo(try session.resolveConnection()), warnError: false)
        let lineage = LineageArtifacts.buildAndWrite(session, compiled)
        let id = try lineage.uniqueId(named: model)
        let text = try LineageText(lineage: lineage).render(
            id, column: column, direction: upstream ? .upstream : (downstream ? .downstream : .direct))
        Console.print(text)
    }
}

extension LineageArtifacts {
    /// `inner`, wrapped to emit OpenLineage events under `target/lineage/` (and to `$OPENLINEAGE_URL`);
    /// `inner` alone when the folder cannot be created.
    static func reporter(
        wrapping inner: any RunReporter, session: ProjectSession, settings: ConnectionSettings, lineage: ProjectLineage
    ) -> any RunReporter {
        let environment = ProcessInfo.processInfo.environment
        let host = settings.host ?? "localhost"
        let builder = OpenLineageEventBuilder(
            jobNamespace: environment["OPENLINEAGE_NAMESPACE"].flatMap { $0.isEmpty ? nil : $0 }
                ?? session.project.name,
            datasetNamespace: "postgres://\(host.hasPrefix("/") ? "localhost" : host):\(settings.port ?? 5432)",
            database: settings.dbname ?? "postgres", invocationId: session.invocationId,
            projectName: session.project.name, lineage: lineage)
        do {
            let emitter = try OpenLineageEmitter(
                folder: ArtifactPaths.lineageEventsFolder(targetPath: session.targetDir),
                baseURL: OpenLineageEmitter.baseURL(environment: environment),
                warn: { Console.error("warning: \($0)") })
            return OpenLineageReporter(wrapping: inner, builder: builder, emitter: emitter)
        } catch {
            Console.error("warning: openlineage events disabled: \(error.localizedDescription)")
            return inner
        }
    }
}
