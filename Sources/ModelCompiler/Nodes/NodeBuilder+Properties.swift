import Foundation

/// Property files applied to nodes, sources declared, and relation names decided.
extension NodeBuilder {
    mutating func applyProperties() {
        // Which node each entry describes, in file order (unknown names and duplicates reported).
        var patches: [String: (patch: NodePatch, file: String)] = [:]
        var seen: [String: SourceLocation] = [:]
        for file in properties {
            for entry in file.models + file.seeds + file.snapshots {
                for (id, patch) in describedNodes(entry)
                    + (nameIndex[entry.name] == nil && versionIndex[entry.name] == nil ? [("", entry)] : [])
                {
                    guard nodes[id] != nil else {
                        if disabled.keys.contains(where: { $0.hasSuffix(".\(patch.name)") }) { continue }
                        let candidates = nameIndex.keys
                        diagnostics.append(
                            .warning(
                                "properties.unknown-node",
                                "'\(patch.name)' is described in \(file.file) but no model or seed has that name",
                                at: patch.location, length: patch.name.count,
                                hint: closestMatch(to: patch.name, in: candidates).map { "did you mean '\($0)'?" }))
                        continue
                    }
                    if let first = seen[id] {
                        diagnostics.append(
                            .error(
                                "properties.duplicate", "'\(patch.name)' is described twice", at: patch.location,
                                notes: [.init("first described here", at: first)]))
                        continue
                    }
                    seen[id] = patch.location
                    patches[id] = (patch, file.file)
                }
            }
        }
        // Patch and finish every node (generic tests come later) on every core.
        let ids = Array(nodes.keys)
        let factory = self.factory
        let results: [(ManifestNode, enabled: Bool, [Diagnostic])?] = {
            let nodes = self.nodes, fileConfigs = self.fileConfigs, patches = patches
            return parallelMap(ids) { id in
                guard var node = nodes[id], node.resourceType != .test || node.testMetadata == nil else { return nil }
                var diagnostics: [Diagnostic] = []
                if let (patch, file) = patches[id] {
                    (node, diagnostics) = factory.patched(
                        node, with: patch, file: file, fileConfig: fileConfigs[id] ?? [:])
                    if !node.config.enabled { return (node, false, diagnostics) }
                }
                factory.finish(&node, &diagnostics)
                return (node, true, diagnostics)
            }
        }()
        var found: [(id: String, diagnostics: [Diagnostic])] = []
        for (id, result) in zip(ids, results) {
            guard let (node, enabled, diagnostics) = result else { continue }
            if !diagnostics.isEmpty { found.append((id, diagnostics)) }
            if enabled {
                nodes[id] = node
            } else {
                nodes[id] = nil
                disabled[id, default: []].append(node)
            }
        }
        record(found)
    }

    mutating func addSources() {
        for file in properties {
            for source in file.sources {
                let schema = source.schema ?? source.name
                // PostgreSQL reads only the database it is connected to: a source elsewhere cannot be read.
                if let database = source.database, !database.isEmpty, database != options.target.dbname {
                    diagnostics.append(
                        .error(
                            "source.other-database",
                            "source '\(source.name)' is in database '\(database)', but the target is connected to '\(options.target.dbname)'; PostgreSQL cannot read another database",
                            at: source.location,
                            hint:
                                "connect the target to '\(database)', or remove 'database:' (or set it to '\(options.target.dbname)')"
                        ))
                }
                for table in source.tables {
                    let id = "source.\(project.name).\(source.name).\(table.name)"
                    var config = ConfigTree(project.configTrees[.source]).config(for: [
                        project.name, source.name, table.name,
                    ])
                    ConfigTree.merge(source.config, into: &config)
                    ConfigTree.merge(table.config, into: &config)
                    guard config.enabled else { continue }
                    if sources[id] != nil {
                        diagnostics.append(
                            .error(
                                "source.duplicate", "source '\(source.name).\(table.name)' is declared twice",
                                at: table.location))
                        continue
                    }
                    var columns: [String: ColumnInfo] = [:]
                    for column in table.columns {
                        var info = column.info
                        info.description = factory.renderDescription(
                            info.description, at: column.location, &diagnostics)
                        columns[info.name] = info
                    }
                    var meta = source.meta
                    meta.merge(table.meta) { $1 }
                    let identifier = table.identifier ?? table.name
                    sources[id] = SourceDefinition(
                        uniqueId: id, packageName: project.name, sourceName: source.name, name: table.name,
                        identifier: identifier, database: source.database, schema: schema,
                        relationName: factory.qualified(schema, identifier), originalFilePath: file.file,
                        fqn: [project.name, source.name, table.name],
                        description: factory.renderDescription(table.description, at: table.location, &diagnostics),
                        sourceDescription: factory.renderDescription(
                            source.description, at: source.location, &diagnostics),
                        loadedAtField: table.loadedAtField ?? source.loadedAtField,
                        freshness: table.freshness ?? source.freshness,
                        columns: columns, meta: meta, sourceMeta: source.meta, tags: source.tags + table.tags,
                        config: config,
                        declaredAt: table.location)
                }
            }
        }
    }
}
