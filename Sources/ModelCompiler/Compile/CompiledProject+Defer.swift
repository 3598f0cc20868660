import Foundation

/// dbt's `--defer --state DIR [--favor-state]`: a `ref()` to a node the run does not build reads
/// the relation the state manifest names for it when the node's own relation does not exist in
/// the target (with `favorState`, whenever the state has it).
extension CompiledProject {
    /// The project with the relations of unselected models, seeds and snapshots taken from
    /// `state` where they are deferred, and the deferred unique ids (sorted).
    public func deferring(
        to state: Manifest, selected: Set<String>, favorState: Bool,
        relationExists: (_ schema: String, _ name: String) -> Bool
    ) -> (project: CompiledProject, deferred: [String]) {
        var copy = self
        var deferred: [String] = []
        for (id, node) in manifest.nodes where !selected.contains(id) {
            guard [.model, .seed, .snapshot].contains(node.resourceType), node.materialization != .ephemeral,
                let old = state.nodes[id], old.relationName != nil, old.materialization != .ephemeral
            else { continue }
            if !favorState && relationExists(node.schema, node.alias) { continue }
            if old.schema == node.schema && old.alias == node.alias && old.database == node.database { continue }
            var moved = node
            moved.schema = old.schema
            moved.alias = old.alias
            moved.database = old.database
            moved.relationName = old.relationName
            copy.manifest.nodes[id] = moved
            deferred.append(id)
        }
        return (copy, deferred.sorted())
    }
}
