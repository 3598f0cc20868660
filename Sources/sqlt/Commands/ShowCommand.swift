import ArgumentParser
import Foundation
import ModelCompiler
import ModelRunner

/// `sqlt show`: runs one node's compiled query (or `--inline` SQL) with a row limit and prints
/// the rows; personal-data columns are masked unless `--show-pii`.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Run a node's compiled query (or --inline SQL) and print the first rows, personal data masked.")

    enum Output: String, ExpressibleByArgument { case text, json }

    @OptionGroup var global: GlobalOptions
    @Option(name: [.customShort("s"), .customLong("select")], help: "The one node to preview.") var select: String?
    @Option(name: .customLong("inline"), help: "A query to preview instead (refs and sources allowed).") var inline:
        String?
    @Option(name: .customLong("limit"), help: "Rows to print (default 5; -1 for every row).") var limit = 5
    @Option(name: .customLong("output"), help: "text (default) or json.") var output: Output = .text
    @Flag(name: .customLong("show-pii"), help: "Print personal-data columns (meta.pii or derived from it) in clear.")
    var showPII = false

    func validate() throws {
        if (select == nil) == (inline == nil) { throw ValidationError("pass exactly one of --select and --inline") }
    }

    func run() throws {
        let session = try ProjectSession.open(global)
        let resolved = try session.resolveConnection()
        let compiled = try session.compile(target: session.targetInfo(resolved), warnError: false)
        let connection = try PostgresConnection(settings: try session.connect(resolved))
        defer { connection.close() }
        let adapter = DirectRuntimeAdapter(session: connection)
        let lineage = LineageArtifacts.build(session, compiled, printWarnings: false)
        let sql: String, name: String, masked: Set<String>?
        if let inline {
            sql = try compiled.renderInline(inline, file: "--inline", adapter: adapter)
            name = "inline_query"
            masked = ShowQuery.personalColumns(
                ofInline: sql, manifest: compiled.manifest, lineage: lineage,
                maskingFunctions: Set(MaskingConfiguration.functions(for: compiled).functions.keys))
        } else {
            let node = try Self.node(select ?? "", session: session, compiled: compiled)
            name = node.name
            sql =
                node.resourceType == .seed
                ? "select * from \(node.relationName ?? quoteIdentifier(node.schema) + "." + quoteIdentifier(node.alias))"
                : try compiled.render(node.uniqueId, options: RenderOptions(), adapter: adapter)
            masked = ShowQuery.personalColumns(of: node, lineage: lineage.nodes[node.uniqueId])
        }
        var result = try ShowQuery.run(sql, limit: limit, session: connection)
        if !showPII {
            let columns = masked ?? Set(result.columns.map(\.name))
            if masked == nil {
                Console.print(
                    "note: the query's column lineage is uncertain, so every column is masked (--show-pii to print them)"
                )
            }
            result = ShowQuery.masking(result, columns: columns)
        }
        switch output {
        case .json:
            Console.result(
                ShowQuery.json(result, node: name), event: "ShowNode", code: "Q041",
                data: [
                    "node_name": .string(name), "preview": .string(ShowQuery.json(result, node: name)),
                    "is_inline": .bool(inline != nil),
                    "output_format": .string("json"), "unique_id": .string(name), "quiet": .bool(global.quiet),
                ])
        case .text:
            let table = ShowQuery.text(result)
            let title = inline != nil ? "Previewing inline node:" : "Previewing node '\(name)':"
            Console.result(
                title + "\n" + table, event: "ShowNode", code: "Q041",
                data: [
                    "node_name": .string(name), "preview": .string(table), "is_inline": .bool(inline != nil),
                    "output_format": .string("text"), "unique_id": .string(name), "quiet": .bool(global.quiet),
                ])
        }
    }

    /// The single node `--select` names.
    static func node(_ selector: String, session: ProjectSession, compiled: CompiledProject) throws -> ManifestNode {
        let types: Set<ResourceType> = [.model, .seed, .snapshot, .analysis]
        var options = try SelectionOptions.parse([])
        options.select = [selector]
        let ids = try session.select(options, in: compiled, types: types).sorted()
        guard ids.count == 1, let node = compiled.manifest.nodes[ids[0]] else {
            throw Diagnostic.error(
                "show.selection",
                ids.isEmpty
                    ? "--select '\(selector)' matches no model, seed or snapshot"
                    : "--select '\(selector)' matches \(ids.count) nodes; sqlt show previews one",
                hint: ids.isEmpty ? nil : "for example --select \(compiled.manifest.nodes[ids[0]]?.name ?? "")")
        }
        return node
    }
}
