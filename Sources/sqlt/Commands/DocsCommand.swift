import ArgumentParser
import Foundation
import ModelCompiler
import ModelRunner

/// `sqlt docs`: generate and serve the documentation site.
struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs", abstract: "Generate or serve the project's documentation site.",
        subcommands: [DocsGenerateCommand.self, DocsServeCommand.self])
}

/// `sqlt docs generate`: compiles, reads the catalog once, writes `target/catalog.json` and the
/// self-contained `target/docs/index.html`.
struct DocsGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Write target/catalog.json and a self-contained target/docs/index.html.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("no-catalog"), help: "Do not query the database; document from property files only.")
    var noCatalog = false

    func run() throws {
        let session = try ProjectSession.open(global)
        let start = ContinuousClock.now
        let resolved = try session.resolveConnection()
        let compiled = try session.compile(target: session.targetInfo(resolved), warnError: false)
        let manifest = compiled.manifest
        try ManifestArtifacts.writeManifest(manifest, to: session.targetDir)
        let compiledIds = manifest.nodes.values.filter { $0.resourceType != .seed }.map(\.uniqueId).sorted()
        try ManifestArtifacts.writeCompiled(manifest, ids: compiledIds, to: session.targetDir)
        let generatedAt = ISO8601DateFormatter().string(from: Date())

        var catalog: CatalogArtifact?
        var catalogNote: String?
        if noCatalog {
            catalogNote = "the catalog was skipped (--no-catalog)"
        } else {
            do {
                let settings = try session.connect(resolved)
                let connection = try PostgresConnection(settings: settings)
                catalog = try CatalogArtifact.read(
                    manifest: manifest, session: connection, database: settings.dbname, generatedAt: generatedAt,
                    invocationId: session.invocationId)
            } catch {
                catalogNote = "the database could not be reached (\(error))"
                Console.error(
                    Console.colorize("warning: ", .yellow, stderr: true)
                        + "the database could not be reached; generating the documentation from property files only: \(error)"
                )
            }
        }
        let written =
            catalog
            ?? CatalogArtifact.empty(generatedAt: generatedAt, invocationId: session.invocationId, error: catalogNote)
        try DocsArtifacts.writeCatalog(written, to: session.targetDir)

        let lineage = DocsLineageLoader.build(
            compiled: compiled, session: session, catalog: catalog, generatedAt: generatedAt)
        let data = DocsSiteData.build(
            manifest: manifest, catalog: catalog, catalogNote: catalogNote, lineage: lineage,
            generatedAt: generatedAt)
        let url = try DocsArtifacts.writeSite(data, to: session.targetDir)
        Console.print(
            "Catalog: \(catalog.map { "\($0.nodes.count) nodes and \($0.sources.count) sources found in the database" } ?? "not available")"
                + "; column lineage of \(lineage.nodes.values.filter { $0.resourceType == "model" }.count) models")
        Console.print("Documentation written to \(url.path) in \(format(ContinuousClock.now - start))")
    }
}

/// `sqlt docs serve`: serves `target/docs/` on 127.0.0.1 until interrupted.
struct DocsServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve target/docs/ over HTTP on 127.0.0.1 until Ctrl-C.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("port"), help: "The port to listen on (default 8080).") var port = 8080

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() throws {
        let session = try ProjectSession.open(global)
        let folder = ArtifactPaths.docsFolder(targetPath: session.targetDir)
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("index.html").path) else {
            throw CommandFailure.error(
                "no documentation in \(folder.path): run 'sqlt docs generate' first", exitCode: 2)
        }
        let server = DocsHTTPServer(root: folder, port: port)
        do {
            let bound = try server.bind()
            Console.print("Serving \(folder.path) at http://127.0.0.1:\(bound)/ (press Ctrl-C to stop)")
            // Ctrl-C (and SIGTERM) end the server with 0 (SignalHandling resets an inherited SIG_IGN).
            SignalHandling.setHandler { _ in _exit(0) }
            server.serve()
        } catch {
            throw CommandFailure.error("\(error)", exitCode: 1)
        }
    }
}

/// The column lineage shown by the site, computed from the compiled project (seed headers from
/// the project's files, relation columns from the catalog when the database was reached).
enum DocsLineageLoader {
    static func build(
        compiled: CompiledProject, session: ProjectSession, catalog: CatalogArtifact?, generatedAt: String
    ) -> ProjectLineage {
        let masking = MaskingConfiguration.functions(for: compiled)
        let database = catalog?.lineageColumns ?? [:]
        let lineage = ProjectLineage.build(
            compiled: compiled, maskingFunctions: masking.functions, database: database, fileSystem: session.fs,
            generatedAt: generatedAt)
        let warnings = masking.warnings + lineage.warnings
        if !warnings.isEmpty { ErrorReporting.printDiagnostics(warnings, projectRoot: session.root) }
        return lineage
    }
}
