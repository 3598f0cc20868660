/// Maps relations as written in compiled SQL (`"public_silver"."silver_rh_info"`, `__dbt__cte__x`) to unique ids.
public struct ProjectRelationIndex: Sendable {
    private var qualified: [QualifiedName: String] = [:]
    private var folded: [QualifiedName: [String]] = [:]
    private var byName: [String: [String]] = [:]
    private var ephemerals: [String: String] = [:]
    /// The database relation of each node that has one.
    public private(set) var relations: [String: RelationRef] = [:]

    private struct QualifiedName: Hashable, Sendable {
        var schema: String
        var name: String
    }

    /// Indexes the models, seeds and snapshots (schema and alias) and the sources (schema and identifier) of a manifest.
    public init(manifest: Manifest) {
        for node in manifest.nodes.values where [.model, .seed, .snapshot].contains(node.resourceType) {
            if node.resourceType == .model && node.materialization == .ephemeral {
                ephemerals["__dbt__cte__\(node.name)"] = node.uniqueId
            } else {
                add(RelationRef(schema: node.schema, name: node.alias), node.uniqueId)
            }
        }
        for source in manifest.sources.values {
            add(RelationRef(schema: source.schema, name: source.identifier), source.uniqueId)
        }
    }

    private mutating func add(_ relation: RelationRef, _ id: String) {
        relations[id] = relation
        let schema = relation.schema ?? ""
        qualified[QualifiedName(schema: schema, name: relation.name)] = id
        folded[QualifiedName(schema: schema.lowercased(), name: relation.name.lowercased()), default: []].append(id)
        byName[relation.name, default: []].append(id)
    }

    /// The unique id of the node a relation refers to; nil when it is not part of the project or ambiguous.
    public func resolve(_ relation: RelationRef) -> String? {
        guard let schema = relation.schema else {
            if let id = ephemerals[relation.name] { return id }
            let candidates = byName[relation.name] ?? []
            return candidates.count == 1 ? candidates[0] : nil
        }
        if let id = qualified[QualifiedName(schema: schema, name: relation.name)] { return id }
        let candidates = folded[QualifiedName(schema: schema.lowercased(), name: relation.name.lowercased())] ?? []
        return candidates.count == 1 ? candidates[0] : nil
    }
}
