/// dbt's model versions: a model whose properties list `versions:` is one node per version, each
/// from its own file (`defined_in:`, default `<name>_v<v>.sql`; the latest version may also live in
/// `<name>.sql`), with unique id `model.<project>.<name>.v<v>`, name `<name>`, fqn ending in
/// `v<v>`, and relation `<name>_v<v>`. `ref('name')` is the latest version, `ref('name', v=1)` a
/// given one.
extension NodeBuilder {
    mutating func applyVersions() {
        for file in properties {
            for patch in file.models where !patch.versions.isEmpty {
                let latest = patch.latestVersion ?? ModelVersionDeclaration.latest(of: patch.versions)
                let latestText = latest.map(ModelVersionDeclaration.text(of:))
                for version in patch.versions {
                    let fileName = version.definedIn ?? "\(patch.name)_v\(version.text)"
                    var found = nameIndex[fileName]
                    if found == nil, version.text == latestText { found = nameIndex[patch.name] }
                    guard let oldId = found, var node = nodes[oldId], node.resourceType == .model, node.version == nil
                    else {
                        if disabled.keys.contains(where: { $0.hasSuffix(".\(fileName)") }) { continue }
                        diagnostics.append(
                            .warning(
                                "properties.version-file",
                                "version \(version.text) of '\(patch.name)' has no model file '\(fileName).sql'",
                                at: version.location, hint: "name the file \(fileName).sql or set defined_in:"))
                        continue
                    }
                    let id = "model.\(project.name).\(patch.name).v\(version.text)"
                    node.uniqueId = id
                    node.name = patch.name
                    node.version = version.v
                    node.latestVersion = latest
                    if !node.fqn.isEmpty { node.fqn[node.fqn.count - 1] = patch.name }
                    node.fqn.append("v\(version.text)")
                    nodes[oldId] = nil
                    nodes[id] = node
                    if let template = templates.removeValue(forKey: oldId) { templates[id] = template }
                    if let refs = pendingRefs.removeValue(forKey: oldId) { pendingRefs[id] = refs }
                    if let config = fileConfigs.removeValue(forKey: oldId) { fileConfigs[id] = config }
                    if nameIndex[fileName] == oldId { nameIndex[fileName] = nil }
                    if nameIndex[patch.name] == oldId { nameIndex[patch.name] = nil }
                    versionIndex[patch.name, default: [:]][version.text] = id
                }
                if let latestText, let id = versionIndex[patch.name]?[latestText] { nameIndex[patch.name] = id }
            }
        }
    }

    /// The nodes a property-file entry describes, each with the entry as it applies to it: one for
    /// a plain model or seed, one per version for a versioned model (the version's description,
    /// config merged over the model's, the model's columns it includes plus its own).
    func describedNodes(_ patch: NodePatch) -> [(id: String, patch: NodePatch)] {
        guard !patch.versions.isEmpty else { return nameIndex[patch.name].map { [($0, patch)] } ?? [] }
        return patch.versions.compactMap { version in
            guard let id = versionIndex[patch.name]?[version.text] else { return nil }
            var versioned = patch
            versioned.versions = []
            if let description = version.description { versioned.description = description }
            ConfigTree.merge(version.config, into: &versioned.config)
            var columns = patch.columns.filter { column in
                let name = column.info.name
                return (version.includeAll || version.include.contains(name)) && !version.exclude.contains(name)
            }
            for column in version.columns {
                if let index = columns.firstIndex(where: { $0.info.name == column.info.name }) {
                    columns[index] = column
                } else {
                    columns.append(column)
                }
            }
            versioned.columns = columns
            return (id, versioned)
        }
    }
}
