import ModelCompiler

/// Which relations of a project hold a data subject's rows.
///
/// Rule: a seed, model (not ephemeral) or source holds the subject when its relation, as built in
/// the database, has a column for every subject column: the column of the same name, or the
/// column that column-level lineage maps it to (`keyColumns`, a direct identity or transformation
/// of the key under another name). A relation that descends from one that holds the subject but
/// has no such column holds the subject's rows through a link when it carries a single-column
/// unique key (`unique_key` or a `unique` test) of such an upstream relation (the messages of the
/// subject's activities, by activity id); otherwise (an aggregate, such as per-unit counts) it
/// holds no row of the person and is listed in `withoutKey`. Nodes of the manifest that are not built yet are listed in `notBuilt`.
public struct RGPDScope: Sendable {
    public var subjects: [RGPDSubject]
    /// Relations holding the subject, parents before children.
    public var holding: [RGPDRelation]
    /// Relations derived from the subject's data that hold no row of the person (no key column).
    public var withoutKey: [RGPDRelation]
    /// Unique ids of seeds and models that have no relation in the database yet.
    public var notBuilt: [String]

    public init(subjects: [RGPDSubject], holding: [RGPDRelation], withoutKey: [RGPDRelation], notBuilt: [String]) {
        self.subjects = subjects
        self.holding = holding
        self.withoutKey = withoutKey
        self.notBuilt = notBuilt
    }

    /// The schemas a manifest's seeds, models and sources live in (to read the catalog of).
    public static func schemas(of manifest: Manifest) -> Set<String> {
        var schemas = Set(manifest.sources.values.map(\.schema))
        for node in manifest.nodes.values where isRelationNode(node) { schemas.insert(node.schema) }
        return schemas
    }

    /// Resolves the scope from the manifest, its graph and the catalog of the built relations.
    /// `keyColumns`: per unique id, subject column to the relation's column derived from it
    /// (from column-level lineage), used when the relation has no column of the subject's name.
    public static func resolve(
        subjects: [RGPDSubject], manifest: Manifest, graph: DependencyGraph, catalog: RelationListing,
        keyColumns: [String: [String: String]] = [:]
    ) -> RGPDScope {
        var candidates: [String: RGPDRelation] = [:]
        var notBuilt: [String] = []
        for node in manifest.nodes.values where isRelationNode(node) {
            guard let built = catalog.relation(schema: node.schema, name: node.alias) else {
                notBuilt.append(node.uniqueId)
                continue
            }
            candidates[node.uniqueId] = relation(
                id: node.uniqueId, type: node.resourceType, built: built, control: control(node, built.kind))
        }
        for source in manifest.sources.values {
            guard let built = catalog.relation(schema: source.schema, name: source.identifier) else { continue }
            candidates[source.uniqueId] = relation(id: source.uniqueId, type: .source, built: built, control: .source)
        }

        var holdingIds = Set<String>()
        for (id, var relation) in candidates {
            var mapping: [String: String] = [:]
            for subject in subjects {
                if relation.columnTypes[subject.column] != nil {
                    mapping[subject.column] = subject.column
                } else if let mapped = keyColumns[id]?[subject.column], relation.columnTypes[mapped] != nil {
                    mapping[subject.column] = mapped
                }
            }
            guard mapping.count == subjects.count else { continue }
            relation.keyColumns = mapping
            candidates[id] = relation
            holdingIds.insert(id)
        }

        var derived = graph.descendants(of: holdingIds).subtracting(holdingIds).filter { candidates[$0] != nil }
        // Derived relations without the key that carry a unique key of an upstream holder (an
        // activity id of the subject's activities, say) hold the subject's rows through it.
        let keys = uniqueKeys(in: manifest)
        let holderOrder = graph.topologicalOrder(holdingIds)
        var linked = Set<String>()
        for id in derived.sorted() {
            guard var relation = candidates[id], !subjects.isEmpty else { continue }
            let upstream = graph.ancestors(of: id)
            for parentId in holderOrder.reversed() where upstream.contains(parentId) {
                let shared = (keys[parentId] ?? []).sorted().first { column in
                    relation.columnTypes[column] != nil && candidates[parentId]?.columnTypes[column] != nil
                        && !subjects.contains { $0.column == column }
                }
                if let shared {
                    relation.link = RGPDRelation.Link(parentId: parentId, column: shared)
                    candidates[id] = relation
                    linked.insert(id)
                    break
                }
            }
        }
        derived.subtract(linked)
        let holders = holdingIds.union(linked)
        let order = graph.topologicalOrder(holders.union(derived))
        let ordered = order + holders.union(derived).subtracting(order).sorted()
        return RGPDScope(
            subjects: subjects,
            holding: ordered.filter(holders.contains).compactMap { candidates[$0] },
            withoutKey: ordered.filter(derived.contains).compactMap { candidates[$0] },
            notBuilt: notBuilt.sorted())
    }

    /// Single-column unique keys per unique id: `unique_key` of the config and `unique` tests.
    static func uniqueKeys(in manifest: Manifest) -> [String: Set<String>] {
        var keys: [String: Set<String>] = [:]
        for node in manifest.nodes.values {
            if isRelationNode(node), node.config.uniqueKey.count == 1 {
                keys[node.uniqueId, default: []].insert(node.config.uniqueKey[0])
            }
            if node.resourceType == .test, node.testMetadata?.name == "unique", let attached = node.attachedNode,
                let column = node.columnName ?? node.testMetadata?.kwargs["column_name"]?.stringValue
            {
                keys[attached, default: []].insert(column)
            }
        }
        return keys
    }

    /// Seeds, snapshots and non-ephemeral enabled models: the nodes that have a relation.
    static func isRelationNode(_ node: ManifestNode) -> Bool {
        switch node.resourceType {
        case .seed, .snapshot: return node.config.enabled
        case .model: return node.config.enabled && node.materialization != .ephemeral && node.relationName != nil
        default: return false
        }
    }

    static func control(_ node: ManifestNode, _ kind: RelationListing.Kind) -> RGPDRelation.Control {
        switch kind {
        case .view: return .view
        case .materializedView: return .materializedView
        case .foreign: return .source
        case .table, .partitionedTable: return .table
        }
    }

    static func relation(
        id: String, type: ResourceType, built: RelationListing.Relation, control: RGPDRelation.Control
    ) -> RGPDRelation {
        var types: [String: String] = [:]
        for column in built.columns { types[column.name] = column.type }
        return RGPDRelation(
            uniqueId: id, resourceType: type, schema: built.schema, name: built.name, control: control,
            columnTypes: types)
    }
}

extension RGPDScope {
    /// The relations holding the subjects of a compiled project: by column name, by column
    /// lineage (keys renamed on the way) and through upstream unique keys. No built relation
    /// holding a subject's column is an error.
    public static func resolve(
        subjects: [RGPDSubject], compiled: CompiledProject, catalog: RelationListing, fileSystem: some ProjectFileSystem
    ) throws(Diagnostic) -> RGPDScope {
        let lineage = ProjectLineage.build(
            compiled: compiled, maskingFunctions: MaskingConfiguration.functions(for: compiled).functions,
            fileSystem: fileSystem)
        let keys = RGPDKeyLineage.keyColumns(
            lineage, manifest: compiled.manifest, graph: compiled.graph, subjects: subjects)
        let scope = resolve(
            subjects: subjects, manifest: compiled.manifest, graph: compiled.graph, catalog: catalog, keyColumns: keys)
        if scope.holding.isEmpty {
            let columns = subjects.map { "'\($0.column)'" }.joined(separator: ", ")
            throw Diagnostic.error(
                "rgpd.subject",
                "no built seed, model or source has the column\(subjects.count > 1 ? "s" : "") \(columns)",
                hint: "check the column name, and build the project first (sqlt build)")
        }
        return scope
    }
}
