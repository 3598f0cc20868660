/// The `materialized` config of every model checked at compile time: an unknown name used to be
/// found only when the run reached the model, after its parents were rebuilt.
extension NodeBuilder {
    /// The materialization names a model can choose (the runner's planners, plus ephemeral).
    public static let modelMaterializations = MaterializationKind.modelKinds.map(\.rawValue)

    /// Reports each enabled model whose `materialized` is not one sqlt can build, at the model's file.
    mutating func checkMaterializations() {
        for id in nodes.keys.sorted() {
            guard let node = nodes[id], node.resourceType == .model else { continue }
            if let kind = node.materialization, MaterializationKind.modelKinds.contains(kind) { continue }
            let name = node.config.materializedName
            let near = closestMatch(to: name, in: Self.modelMaterializations)
            diagnostics.append(
                .error(
                    "node.unknown-materialization", "unknown materialization '\(name)' for model '\(node.name)'",
                    at: SourceLocation(file: node.originalFilePath, line: 1, column: 1),
                    hint: (near.map { "did you mean '\($0)'? " } ?? "") + "sqlt builds models as "
                        + Self.modelMaterializations.joined(separator: ", ")))
        }
    }
}
