import ModelCompiler

/// Which columns of which models carry a subject's key, from column-level lineage.
///
/// The key's origins are the seed and source columns of the subject's column name that declare
/// `meta.pii` (indirect, direct or sensitive). A model column carries the key when one of its
/// inputs is a DIRECT IDENTITY or TRANSFORMATION of a column carrying it; chains are followed
/// in dependency order, so renamed keys (`id_salarie as employee_id`) are found.
public enum RGPDKeyLineage {
    /// Per unique id, subject column to the columns of that node carrying the key (the one of
    /// the same name first). Seeds and sources of origin are included.
    public static func keyColumns(
        _ lineage: ProjectLineage, manifest: Manifest, graph: DependencyGraph, subjects: [RGPDSubject]
    ) -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for subject in subjects {
            var carrying = Set<ColumnReference>()
            for node in manifest.nodes.values where node.resourceType == .seed || node.resourceType == .snapshot {
                if isPII(node.columns[subject.column]) { carrying.insert(ColumnReference(node: node.uniqueId, column: subject.column)) }
            }
            for source in manifest.sources.values where isPII(source.columns[subject.column]) {
                carrying.insert(ColumnReference(node: source.uniqueId, column: subject.column))
            }
            for id in graph.topologicalOrder() {
                guard let node = lineage.nodes[id], [.model, .snapshot].contains(manifest.nodes[id]?.resourceType) else { continue }
                for column in node.columns where column.inputs.contains(where: { input in
                    input.type == "DIRECT" && ["IDENTITY", "TRANSFORMATION"].contains(input.subtype)
                        && input.node.map { carrying.contains(ColumnReference(node: $0, column: input.column)) } == true
                }) {
                    carrying.insert(ColumnReference(node: id, column: column.name))
                }
            }
            for reference in carrying.sorted(by: { ($0.node, $0.column) < ($1.node, $1.column) }) {
                let current = result[reference.node]?[subject.column]
                if current == nil || reference.column == subject.column {
                    result[reference.node, default: [:]][subject.column] = reference.column
                }
            }
        }
        return result
    }

    static func isPII(_ column: ColumnInfo?) -> Bool {
        guard let pii = column?.pii?.lowercased() else { return false }
        return ["indirect", "direct", "sensitive"].contains(pii)
    }
}
