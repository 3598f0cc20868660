import Foundation
import ModelCompiler

/// Everything the documentation page shows, as the one JSON blob embedded in `index.html`.
public struct DocsSiteData: Codable, Sendable {
    public var project: String
    public var generatedAt: String
    public var sqltVersion: String
    /// Whether column types come from the database (false: from property files only).
    public var catalogAvailable: Bool
    /// Why the catalog is missing, when it is.
    public var catalogNote: String?
    public var lineageAvailable: Bool
    public var layers: [DocsGraphLayout.Layer]
    /// Models, seeds, snapshots and sources, sorted by unique id.
    public var nodes: [Node]

    /// A documented node.
    public struct Node: Codable, Sendable {
        public var id: String
        /// model, seed, snapshot or source.
        public var type: String
        public var name: String
        public var layer: String
        public var column: Int
        public var schema: String
        public var relation: String?
        public var materialized: String?
        public var relationType: String?
        public var description: String
        public var path: String
        public var tags: [String]
        public var parents: [String]
        public var sql: String?
        public var rawSql: String?
        public var columns: [Column]
        /// Tests on the node as a whole (not on one column).
        public var tests: [String]
        public var lineageIssues: [String]
    }

    /// A column: declared, found in the database, or computed by lineage.
    public struct Column: Codable, Sendable {
        public var name: String
        public var type: String?
        public var description: String
        public var tests: [String]
        /// none, indirect, sensitive or direct; nil when unknown.
        public var privacy: String?
        public var inputs: [Input]
    }

    /// An upstream column of a column, as `lineage.json` records it.
    public typealias Input = ColumnInputReference

    /// Builds the page's data from the manifest, the catalog (if the database was reached) and
    /// the column lineage (if computed).
    public static func build(
        manifest: Manifest, catalog: CatalogArtifact?, catalogNote: String?, lineage: ProjectLineage?,
        generatedAt: String
    ) -> DocsSiteData {
        let documented = manifest.nodes.values.filter { [.model, .seed, .snapshot].contains($0.resourceType) }
        var entries = documented.map { (id: $0.uniqueId, type: $0.resourceType, fqn: $0.fqn) }
        entries += manifest.sources.values.map { (id: $0.uniqueId, type: ResourceType.source, fqn: $0.fqn) }
        let layout = DocsGraphLayout.compute(nodes: entries, parents: manifest.parentMap)
        let known = Set(entries.map(\.id))

        // Tests by the node they test, and by column.
        var columnTests: [String: [String: [String]]] = [:]
        var nodeTests: [String: [String]] = [:]
        for test in manifest.nodes.values where test.resourceType == .test {
            guard let target = test.attachedNode ?? test.dependsOn.nodes.last else { continue }
            let label = test.testMetadata?.name ?? test.name
            if let column = test.columnName {
                columnTests[target, default: [:]][column, default: []].append(label)
            } else {
                nodeTests[target, default: []].append(label)
            }
        }

        func columns(id: String, declared: [ColumnInfo]) -> [Column] {
            let fromCatalog = catalog?.table(for: id)?.orderedColumns ?? []
            let lineageColumns = lineage?.nodes[id]?.columns ?? []
            var names = fromCatalog.map(\.name)
            for name in lineageColumns.map(\.name) + declared.map(\.name) where !names.contains(name) {
                names.append(name)
            }
            let declaredByName = Dictionary(declared.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            let catalogByName = Dictionary(fromCatalog.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            let lineageByName = Dictionary(lineageColumns.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            return names.map { name in
                let info = declaredByName[name]
                let entry = lineageByName[name]
                return Column(
                    name: name, type: catalogByName[name]?.type ?? info?.dataType, description: info?.description ?? "",
                    tests: (columnTests[id]?[name] ?? []).sorted(), privacy: entry?.privacy ?? info?.pii,
                    inputs: entry?.inputs ?? [])
            }
        }

        var nodes: [Node] = []
        for node in documented {
            let place = layout.placement[node.uniqueId] ?? ("models", 0)
            nodes.append(
                Node(
                    id: node.uniqueId, type: node.resourceType.rawValue, name: node.name, layer: place.layer,
                    column: place.column,
                    schema: node.schema, relation: node.relationName,
                    materialized: node.config["materialized"]?.stringValue,
                    relationType: catalog?.table(for: node.uniqueId)?.metadata.type, description: node.description,
                    path: node.originalFilePath, tags: node.tags,
                    parents: (manifest.parentMap[node.uniqueId] ?? node.dependsOn.nodes).filter { known.contains($0) }
                        .sorted(),
                    sql: node.resourceType == .seed ? nil : node.compiledCode,
                    rawSql: node.resourceType == .seed ? nil : node.rawCode,
                    columns: columns(id: node.uniqueId, declared: node.orderedColumns),
                    tests: (nodeTests[node.uniqueId] ?? []).sorted(),
                    lineageIssues: lineage?.nodes[node.uniqueId]?.issues ?? []))
        }
        for source in manifest.sources.values {
            let place = layout.placement[source.uniqueId] ?? ("sources", 0)
            let description = [source.sourceDescription, source.description].filter { !$0.isEmpty }.joined(
                separator: "\n\n")
            nodes.append(
                Node(
                    id: source.uniqueId, type: "source", name: "\(source.sourceName).\(source.name)",
                    layer: place.layer,
                    column: place.column, schema: source.schema, relation: source.relationName, materialized: nil,
                    relationType: catalog?.table(for: source.uniqueId)?.metadata.type, description: description,
                    path: source.originalFilePath, tags: source.tags, parents: [], sql: nil, rawSql: nil,
                    columns: columns(id: source.uniqueId, declared: source.orderedColumns),
                    tests: (nodeTests[source.uniqueId] ?? []).sorted(), lineageIssues: []))
        }
        nodes.sort { $0.id < $1.id }
        return DocsSiteData(
            project: manifest.metadata.projectName, generatedAt: generatedAt, sqltVersion: SqltVersion.current,
            catalogAvailable: catalog != nil && catalog?.errors == nil, catalogNote: catalogNote,
            lineageAvailable: lineage != nil,
            layers: layout.layers, nodes: nodes)
    }
}
