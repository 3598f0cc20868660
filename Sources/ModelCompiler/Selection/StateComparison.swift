/// The `state:` method: compares each node and source with the same unique id in an earlier manifest.
struct StateComparison: Sendable {
    /// Values accepted after `state:`.
    static let selectors = [
        "new", "old", "modified", "unmodified", "modified.body", "modified.configs", "modified.relation",
        "modified.persisted_descriptions", "modified.macros", "modified.contract",
    ]

    let current: Manifest
    let previous: Manifest

    func matches(_ target: SelectionTarget, selector: String) -> Bool {
        switch target {
        case .node(let node): return matches(node: node, old: previous.nodes[node.uniqueId], selector: selector)
        case .source(let source):
            return matches(source: source, old: previous.sources[source.uniqueId], selector: selector)
        }
    }

    private func matches(node: ManifestNode, old: ManifestNode?, selector: String) -> Bool {
        if selector == "new" { return old == nil }
        guard let old else { return selector != "old" && selector != "unmodified" }
        switch selector {
        case "old": return true
        case "modified": return isModified(node, old)
        case "unmodified": return !isModified(node, old)
        case "modified.body": return !sameBody(node, old)
        case "modified.configs": return node.config != old.config
        case "modified.relation": return !sameRelation(node, old)
        case "modified.persisted_descriptions": return !samePersistedDescriptions(node, old)
        case "modified.macros": return macrosModified(node)
        case "modified.contract": return !sameContract(node, old)
        default: return false
        }
    }

    private func matches(source: SourceDefinition, old: SourceDefinition?, selector: String) -> Bool {
        if selector == "new" { return old == nil }
        guard let old else { return selector != "old" && selector != "unmodified" }
        let sameRelation =
            source.database == old.database && source.schema == old.schema && source.identifier == old.identifier
        let sameConfig = source.config == old.config
        let modified =
            !sameRelation || !sameConfig || source.fqn != old.fqn || source.freshness != old.freshness
            || source.loadedAtField != old.loadedAtField
        switch selector {
        case "old": return true
        case "modified": return modified
        case "unmodified": return !modified
        case "modified.configs": return !sameConfig
        case "modified.relation": return !sameRelation
        case "modified.persisted_descriptions":
            return source.description != old.description
        default: return false
        }
    }

    /// dbt's `same_contents`, plus a change in a macro the node calls.
    private func isModified(_ node: ManifestNode, _ old: ManifestNode) -> Bool {
        !sameBody(node, old) || node.config != old.config || !samePersistedDescriptions(node, old)
            || node.fqn != old.fqn
            || !sameRelation(node, old) || !sameContract(node, old) || macrosModified(node)
    }

    private func sameBody(_ node: ManifestNode, _ old: ManifestNode) -> Bool {
        node.checksum == old.checksum && node.rawCode == old.rawCode
    }

    private func sameRelation(_ node: ManifestNode, _ old: ManifestNode) -> Bool {
        node.database == old.database && node.schema == old.schema && node.alias == old.alias
    }

    /// Descriptions only count when `persist_docs` writes them to the database.
    private func samePersistedDescriptions(_ node: ManifestNode, _ old: ManifestNode) -> Bool {
        let persist = node.config["persist_docs"]
        if persist?["relation"]?.boolValue == true, node.description != old.description { return false }
        if persist?["columns"]?.boolValue == true {
            let mine = node.columns.mapValues(\.description)
            let theirs = old.columns.mapValues(\.description)
            if mine != theirs { return false }
        }
        return true
    }

    /// With an enforced contract, the declared columns and their types are part of the node.
    private func sameContract(_ node: ManifestNode, _ old: ManifestNode) -> Bool {
        let enforced = node.config["contract"]?["enforced"]?.boolValue == true
        let wasEnforced = old.config["contract"]?["enforced"]?.boolValue == true
        guard enforced || wasEnforced else { return true }
        guard enforced == wasEnforced else { return false }
        return node.columns.mapValues(\.dataType) == old.columns.mapValues(\.dataType)
    }

    private func macrosModified(_ node: ManifestNode) -> Bool {
        node.dependsOn.macros.contains { id in
            previous.macros[id]?.macroSql != current.macros[id]?.macroSql
        }
    }
}
