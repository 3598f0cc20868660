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
        try data.write(to: targetDir.appendingPathComponent("lineage.json"), options: .atomic)
    }

    /// Builds and writes `target/lineage.json`; a failure to write is a warning (lineage never fails a command).
    /// With `database`, relations whose columns the project does not know are looked up in its catalog.
    /// With `models`, only their lineage (and their upstream models') is computed, for a run's
    /// OpenLineage events, and `lineage.json` is left as the last whole-project command wrote it.
    @discardableResult
    static func buildAndWrite(
        _ session: ProjectSession, _ compiled: CompiledProject, database: ConnectionSettings? = nil, models: Set<String>? = nil
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

    /// The models a run's lineage needs: nil (the whole project) when it runs every model, else the
    /// models it runs.
    static func scope(of selected: Set<String>, in compiled: CompiledProject) -> Set<String>? {
        var all = 0
        var running = Set<String>()
        for (id, node) in compiled.manifest.nodes where node.resourceType == .model {
            all += 1
            if selected.contains(id) { running.insert(id) }
        }
        return running.count == all ? nil : running
    }

    /// The lineage again, with the columns of relations it did not know read from the database catalog;
    /// the first lineage when the catalog cannot be read.
    static func refine(
        _ lineage: ProjectLineage, _ session: ProjectSession, _ compiled: CompiledProject, settings: ConnectionSettings,
        models: Set<String>? = nil
    ) -> ProjectLineage {
        let schemas = Set(lineage.unknownRelations.map { $0.schema ?? settings.schema })
        let snapshot: CatalogSnapshot
        do {
            let connection = try PostgresConnection(settings: settings)
            snapshot = try CatalogReader.snapshot(schemas: schemas, session: connection)
        } catch {
            Console.error("warning: lineage: cannot read the database catalog: \(error)")
            return lineage
        }
        var database: [RelationRef: [String]] = [:]
        for relation in snapshot.relations.values {
            let columns = relation.columns.map(\.name)
            database[RelationRef(schema: relation.schema, name: relation.name)] = columns
            if relation.schema == settings.schema { database[RelationRef(name: relation.name)] = columns }
        }
        let masking = MaskingConfiguration.functions(for: compiled)
        return ProjectLineage.build(
            compiled: compiled, maskingFunctions: masking.functions, database: database, fileSystem: session.fs, models: models)
    }

    /// The unique id of a node named on the command line (`silver_rh_info`, `model.p.silver_rh_info`,
    /// `source_name.table`).
    static func resolve(_ name: String, in lineage: ProjectLineage) throws -> String {
        if lineage.nodes[name] != nil { return name }
        let matches = lineage.nodes.keys.filter { $0.hasSuffix(".\(name)") }.sorted()
        let models = matches.filter { $0.hasPrefix("model.") }
        if models.count == 1 { return models[0] }
        if matches.count == 1 { return matches[0] }
        if matches.isEmpty { throw ValidationError("no model, seed or source named '\(name)'") }
        throw ValidationError("'\(name)' is ambiguous: \(matches.joined(separator: ", "))")
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
        do {
            let compiled = try session.compile(target: session.targetInfo(try session.resolveConnection()), warnError: false)
            let lineage = LineageArtifacts.buildAndWrite(session, compiled)
            let id = try LineageArtifacts.resolve(model, in: lineage)
            let text = try LineageText(lineage: lineage).render(
                id, column: column, direction: upstream ? .upstream : (downstream ? .downstream : .direct))
            Console.print(text)
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ErrorReporting.exitCode(for: error, projectRoot: session.root)
        }
    }
}

/// The text form of column lineage.
struct LineageText {
    enum Direction { case direct, upstream, downstream }

    let lineage: ProjectLineage

    func render(_ id: String, column: String?, direction: Direction) throws -> String {
        guard let node = lineage.nodes[id] else { throw ValidationError("unknown node \(id)") }
        var columns = node.columns
        if let column {
            columns = columns.filter { $0.name == column }
            if columns.isEmpty {
                throw ValidationError("\(id) has no column '\(column)'; columns: \(node.columns.map(\.name).joined(separator: ", "))")
            }
        }
        var lines = ["\(id)" + (node.relationName.map { " (\($0))" } ?? " (ephemeral)")]
        let consumers = direction == .downstream ? consumerIndex() : [:]
        for entry in columns {
            lines.append("  \(entry.name)  [\(entry.privacy)]" + origins(entry))
            switch direction {
            case .direct:
                for input in entry.inputs { lines.append("    <- " + describe(input)) }
            case .upstream:
                var seen = Set<String>()
                upstreamLines(entry.inputs, depth: 2, seen: &seen, into: &lines)
            case .downstream:
                var seen = Set<ColumnReference>()
                downstreamLines(ColumnReference(node: id, column: entry.name), consumers, depth: 2, seen: &seen, into: &lines)
            }
        }
        if !node.issues.isEmpty {
            lines.append("  issues:")
            lines += node.issues.map { "    \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    func origins(_ entry: ColumnLineageEntry) -> String {
        guard entry.privacyClass > .none, !entry.piiSources.isEmpty else { return "" }
        return " from " + entry.piiSources.map(\.description).joined(separator: ", ")
    }

    func describe(_ input: ColumnInputReference) -> String {
        let name = input.node ?? input.relation
        var text = "\(name).\(input.column)  \(input.type)/\(input.subtype)"
        if input.masking { text += " masked" + (input.maskedBy.isEmpty ? "" : " by \(input.maskedBy.joined(separator: ", "))") }
        if input.node == nil { text += "  (not in the project)" }
        if let node = input.node, let upstream = lineage.nodes[node]?.column(input.column), upstream.privacyClass > .none {
            text += "  [\(upstream.privacy)]"
        }
        return text
    }

    func upstreamLines(_ inputs: [ColumnInputReference], depth: Int, seen: inout Set<String>, into lines: inout [String]) {
        let indent = String(repeating: "  ", count: depth)
        for input in inputs {
            let key = "\(input.node ?? input.relation).\(input.column)"
            let expandable = input.type == "DIRECT" && input.node.flatMap { lineage.nodes[$0]?.column(input.column) } != nil
            let repeated = expandable && seen.contains(key)
            lines.append(indent + "<- " + describe(input) + (repeated ? "  (see above)" : ""))
            guard expandable, !repeated, let node = input.node, let upstream = lineage.nodes[node]?.column(input.column) else { continue }
            seen.insert(key)
            upstreamLines(upstream.inputs, depth: depth + 1, seen: &seen, into: &lines)
        }
    }

    /// Input column → the model columns reading it, with the edge.
    func consumerIndex() -> [ColumnReference: [(ColumnReference, ColumnInputReference)]] {
        var index: [ColumnReference: [(ColumnReference, ColumnInputReference)]] = [:]
        for (id, node) in lineage.nodes.sorted(by: { $0.key < $1.key }) {
            for column in node.columns {
                for input in column.inputs {
                    guard let upstream = input.node else { continue }
                    index[ColumnReference(node: upstream, column: input.column), default: []]
                        .append((ColumnReference(node: id, column: column.name), input))
                }
            }
        }
        return index
    }

    func downstreamLines(
        _ origin: ColumnReference, _ consumers: [ColumnReference: [(ColumnReference, ColumnInputReference)]], depth: Int,
        seen: inout Set<ColumnReference>, into lines: inout [String]
    ) {
        let indent = String(repeating: "  ", count: depth)
        for (reader, edge) in consumers[origin] ?? [] {
            let privacy = lineage.nodes[reader.node]?.column(reader.column)?.privacy ?? "none"
            let repeated = seen.contains(reader)
            var text = "\(indent)-> \(reader.node).\(reader.column)  \(edge.type)/\(edge.subtype)"
            if edge.masking { text += " masked" }
            text += "  [\(privacy)]" + (repeated ? "  (see above)" : "")
            lines.append(text)
            guard !repeated, edge.type == "DIRECT" else { continue }
            seen.insert(reader)
            downstreamLines(reader, consumers, depth: depth + 1, seen: &seen, into: &lines)
        }
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
            jobNamespace: environment["OPENLINEAGE_NAMESPACE"].flatMap { $0.isEmpty ? nil : $0 } ?? session.project.name,
            datasetNamespace: "postgres://\(host.hasPrefix("/") ? "localhost" : host):\(settings.port ?? 5432)",
            database: settings.dbname ?? "postgres", invocationId: session.invocationId,
            projectName: session.project.name, lineage: lineage)
        do {
            let emitter = try OpenLineageEmitter(
                folder: session.targetDir.appendingPathComponent("lineage"),
                baseURL: OpenLineageEmitter.baseURL(environment: environment),
                warn: { Console.error("warning: \($0)") })
            return OpenLineageReporter(wrapping: inner, builder: builder, emitter: emitter)
        } catch {
            Console.error("warning: openlineage events disabled: \(error.localizedDescription)")
            return inner
        }
    }
}
