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
                for column in node.columns.values where isPII(column) && holdsKey(column, subject.column) {
                    carrying.insert(ColumnReference(node: node.uniqueId, column: column.name))
                }
            }
            for source in manifest.sources.values where isPII(source.columns[subject.column]) {
                carrying.insert(ColumnReference(node: source.uniqueId, column: subject.column))
            }
            for id in graph.topologicalOrder() {
                guard let node = lineage.nodes[id], [.model, .snapshot].contains(manifest.nodes[id]?.resourceType)
                else { continue }
                for column in node.columns
                where column.inputs.contains(where: { input in
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

    /// Whether a seed or snapshot column holds the subject key `key`: by its name, or by
    /// `meta: {subject_key: key}` when the file's header names it otherwise (`ID salarié`).
    static func holdsKey(_ column: ColumnInfo, _ key: String) -> Bool {
        column.name == key || column.meta["subject_key"]?.stringValue == key
    }

    /// Subject key to column name, for the columns of `node` that hold a key under another name.
    public static func keyAliases(_ node: ManifestNode) -> [String: String] {
        var aliases: [String: String] = [:]
        for column in node.columns.values {
            if let key = column.meta["subject_key"]?.stringValue, key != column.name { aliases[key] = column.name }
        }
        return aliases
    }

    static func isPII(_ column: ColumnInfo?) -> Bool {
        guard let pii = column?.pii?.lowercased() else { return false }
        return ["indirect", "direct", "sensitive"].contains(pii)
    }
}
