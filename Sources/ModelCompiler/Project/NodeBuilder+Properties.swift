import Foundation

/// Property files applied to nodes, sources declared, and relation names decided.
extension NodeBuilder {
    mutating func applyProperties() {
        var seen: [String: SourceLocation] = [:]
        for file in properties {
            for patch in file.models + file.seeds {
                guard let id = nameIndex[patch.name], var node = nodes[id] else {
                    if disabled.keys.contains(where: { $0.hasSuffix(".\(patch.name)") }) { continue }
                    let candidates = nameIndex.keys
                    diagnostics.append(.warning(
                        "properties.unknown-node", "'\(patch.name)' is described in \(file.file) but no model or seed has that name",
                        at: patch.location, length: patch.name.count,
                        hint: closestMatch(to: patch.name, in: candidates).map { "did you mean '\($0)'?" }))
                    continue
                }
                if let first = seen[id] {
                    diagnostics.append(.error(
                        "properties.duplicate", "'\(patch.name)' is described twice", at: patch.location,
                        notes: [.init("first described here", at: first)]))
                    continue
                }
                seen[id] = patch.location
                // Precedence: project tree < property file < the file's own config().
                var config = ConfigTree(project.configTrees[node.resourceType == .seed ? .seed : .model]).config(for: node.fqn)
                if node.resourceType == .seed, config["materialized"] == nil { config["materialized"] = "seed" }
                ConfigTree.merge(patch.config, into: &config)
                ConfigTree.merge(fileConfigs[id] ?? [:], into: &config)
                node.config = config
                node.description = renderDescription(patch.description, at: patch.location)
                node.meta = patch.meta
                node.tags = patch.tags
                node.patchPath = file.file
                node.declaredAt = patch.location
                for column in patch.columns {
                    var info = column.info
                    info.description = renderDescription(info.description, at: column.location)
                    node.columns[info.name] = info
                }
                if !config.enabled {
                    nodes[id] = nil
                    disabled[id, default: []].append(node)
                    continue
                }
                nodes[id] = node
            }
        }
        for (id, var node) in nodes where node.resourceType != .test || node.testMetadata == nil {
            finish(&node)
            nodes[id] = node
        }
    }

    /// Tags, meta, schema, alias and relation name from the final configuration.
    mutating func finish(_ node: inout ManifestNode) {
        var tags = node.config.configTags
        for tag in node.tags where !tags.contains(tag) { tags.append(tag) }
        node.tags = tags
        node.config["tags"] = .array(tags.map(JSONValue.string))
        if let meta = node.config["meta"]?.objectValue { node.meta.merge(meta) { $1 } }
        if !node.meta.isEmpty { node.config["meta"] = .object(node.meta) }
        node.schema = schemaName(custom: node.config.customSchema, node: node)
        node.alias = node.config.aliasName ?? node.name
        switch node.resourceType {
        case .model, .seed, .snapshot:
            node.relationName = node.config.materialized == "ephemeral" ? nil : qualified(node.schema, node.alias)
        case .test:
            node.schema = "\(options.target.schema)_test_failures"
            node.relationName = node.config["store_failures"]?.boolValue == true ? qualified(node.schema, node.alias) : nil
        default:
            node.relationName = nil
        }
    }

    func qualified(_ schema: String, _ name: String) -> String {
        "\"\(schema.replacingOccurrences(of: "\"", with: "\"\""))\".\"\(name.replacingOccurrences(of: "\"", with: "\"\""))\""
    }

    /// dbt's `generate_schema_name`: a project macro of that name wins; else `<target schema>_<custom>`.
    mutating func schemaName(custom: String?, node: ManifestNode) -> String {
        if macros.has("generate_schema_name") {
            do throws(DiagnosticsError) {
                let value = try macros.call(
                    "generate_schema_name", positional: [custom.map(TemplateValue.string) ?? .none, CompiledProject.nodeObject(node)],
                    keyword: [:], context: RenderContext(globals: sharedGlobals, macros: macros))
                let text = value.description.trimmingCharacters(in: .whitespacesAndNewlines)
                if !text.isEmpty { return text }
            } catch {
                diagnostics += error.diagnostics
            }
        }
        guard let custom, !custom.isEmpty else { return options.target.schema }
        return "\(options.target.schema)_\(custom.trimmingCharacters(in: .whitespaces))"
    }

    /// The globals every render of this compile shares (`var`, `env_var`, `target`, ...).
    func staticGlobals() -> [String: TemplateValue] {
        var vars = project.vars
        vars.merge(options.vars) { $1 }
        return CompiledProject.baseGlobals(projectName: project.name, vars: vars, options: options, adapter: nil)
    }

    /// `{{ doc('name') }}` in descriptions.
    mutating func renderDescription(_ text: String, at location: SourceLocation) -> String {
        guard text.contains("{{") else { return text }
        let docs = self.docs
        let projectName = project.name
        let doc = TemplateFunction(name: "doc") { args in
            guard let name = args.positional.first?.description else { throw TemplateError("doc() needs a name") }
            guard let block = docs["doc.\(projectName).\(name)"] else {
                let known = docs.values.map(\.name)
                throw TemplateError("unknown doc '\(name)'" + (closestMatch(to: name, in: known).map { "; did you mean '\($0)'?" } ?? ""))
            }
            return .string(block.blockContents.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        do throws(DiagnosticsError) {
            let template = try Template.parse(text, file: location.file)
            var globals = sharedGlobals
            globals["doc"] = .function(doc)
            return try template.render(RenderContext(globals: globals, macros: macros))
        } catch {
            diagnostics += error.diagnostics.map { d in
                var copy = d
                copy.location = location
                return copy
            }
            return text
        }
    }

    mutating func addSources() {
        for file in properties {
            for source in file.sources {
                let schema = source.schema ?? source.name
                for table in source.tables {
                    let id = "source.\(project.name).\(source.name).\(table.name)"
                    var config = ConfigTree(project.configTrees[.source]).config(for: [project.name, source.name, table.name])
                    ConfigTree.merge(source.config, into: &config)
                    ConfigTree.merge(table.config, into: &config)
                    guard config.enabled else { continue }
                    if sources[id] != nil {
                        diagnostics.append(.error("source.duplicate", "source '\(source.name).\(table.name)' is declared twice", at: table.location))
                        continue
                    }
                    var columns: [String: ColumnInfo] = [:]
                    for column in table.columns {
                        var info = column.info
                        info.description = renderDescription(info.description, at: column.location)
                        columns[info.name] = info
                    }
                    var meta = source.meta
                    meta.merge(table.meta) { $1 }
                    let identifier = table.identifier ?? table.name
                    sources[id] = SourceDefinition(
                        uniqueId: id, packageName: project.name, sourceName: source.name, name: table.name,
                        identifier: identifier, database: source.database, schema: schema,
                        relationName: qualified(schema, identifier), originalFilePath: file.file,
                        fqn: [project.name, source.name, table.name],
                        description: renderDescription(table.description, at: table.location),
                        sourceDescription: renderDescription(source.description, at: source.location),
                        loadedAtField: table.loadedAtField ?? source.loadedAtField, freshness: table.freshness ?? source.freshness,
                        columns: columns, meta: meta, sourceMeta: source.meta, tags: source.tags + table.tags, config: config,
                        declaredAt: table.location)
                }
            }
        }
    }
}
