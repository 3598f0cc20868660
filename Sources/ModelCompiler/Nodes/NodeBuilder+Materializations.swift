/// The `materialized` config of every model checked at compile time: an unknown name used to be
/// found only when the run reached the model, after its parents were rebuilt.
extension NodeBuilder {
    /// The materializations the runner builds models with (ModelExecutor's list, plus ephemeral).
    public static let modelMaterializations = ["table", "view", "incremental", "materialized_view", "ephemeral"]

    /// Reports each enabled model whose `materialized` is not one sqlt can build, at the model's file.
    mutating func checkMaterializations() {
        for id in nodes.keys.sorted() {
            guard let node = nodes[id], node.resourceType == .model else { continue }
            let kind = node.config.materialized
            guard !Self.modelMaterializations.contains(kind) else { continue }
            let near = closestMatch(to: kind, in: Self.modelMaterializations)
            diagnostics.append(
                .error(
                    "node.unknown-materialization", "unknown materialization '\(kind)' for model '\(node.name)'",
                    at: SourceLocation(file: node.originalFilePath, line: 1, column: 1),
                    hint: (near.map { "did you mean '\($0)'? " } ?? "") + "sqlt builds models as "
                        + Self.modelMaterializations.joined(separator: ", ")))
        }
    }
}
