/// Snapshot nodes, from `{% snapshot name %}` blocks in the snapshot paths and from `snapshots:`
/// entries with a `relation` in property files (dbt 1.9+).
extension NodeFactory {
    /// One node per `{% snapshot %}` block of a file. Each block gets its own template: the file's
    /// text before the block blanked out (newlines kept), then the block's body, so rendered SQL and
    /// diagnostics keep the file's lines and columns.
    func snapshotNodes(_ file: TemplatedFile) -> [BuiltNode] {
        let blocks = file.template.snapshotBlocks
        guard !blocks.isEmpty else {
            return [
                BuiltNode(
                    node: makeNode(
                        .snapshot, name: "", path: file.path, original: file.path, fqn: [], raw: "", config: [:],
                        checksum: ""),
                    diagnostics: [
                        .warning(
                            "snapshot.no-block",
                            "\(file.path) is in the snapshot paths but holds no {% snapshot %} block",
                            at: SourceLocation(file: file.path, line: 1, column: 1))
                    ])
            ]
        }
        let (relative, fqnPrefix, _) = locate(file.path, roots: project.snapshotPaths, extension: ".sql")
        let bytes = Array(file.text.utf8)
        return blocks.map { block in
            let fqn = fqnPrefix + [block.name]
            let start = Self.bodyOffset(of: block, in: bytes)
            let padding = String(
                decoding: bytes[..<start].map { $0 == UInt8(ascii: "\n") ? $0 : UInt8(ascii: " ") }, as: UTF8.self)
            let body = padding + block.contents
            do throws(DiagnosticsError) {
                let template = try Template.parse(body, file: file.path)
                let templated = TemplatedFile(
                    type: .snapshot, path: file.path, text: body, template: template, calls: nil)
                return snapshotNode(
                    templated, name: block.name, path: relative, fqn: fqn, raw: block.contents, location: block.location
                )
            } catch {
                return BuiltNode(
                    node: makeNode(
                        .snapshot, name: block.name, path: relative, original: file.path, fqn: fqn, raw: block.contents,
                        config: [:], checksum: ""),
                    diagnostics: error.diagnostics)
            }
        }
    }

    /// A snapshot declared in YAML: `select * from {{ relation }}`, with the entry's config.
    func yamlSnapshot(_ patch: NodePatch, relation: String, file: String) -> BuiltNode {
        let location = patch.location
        let raw = "select * from {{ \(relation) }}"
        let fqn =
            [project.name]
            + locate(file, roots: project.snapshotPaths + project.modelPaths, extension: ".yml").1.dropFirst()
            .dropLast() + [patch.name]
        do throws(DiagnosticsError) {
            // The template is generated: its calls are located at the entry's name in the property file.
            let template = try Template.parse(raw, file: file)
            let templated = TemplatedFile(type: .snapshot, path: file, text: raw, template: template, calls: nil)
            var built = snapshotNode(
                templated, name: patch.name, path: file, fqn: Array(fqn), raw: raw, location: location)
            built.refs = built.refs.map { PendingRef(call: $0.call, location: location) }
            let calls = built.refs.filter { $0.kind == "ref" || $0.kind == "source" }
            if calls.count != 1 {
                built.diagnostics.append(
                    .error(
                        "snapshot.relation",
                        "snapshot '\(patch.name)' needs relation: ref('model') or source('source', 'table'), not '\(relation)'",
                        at: location))
            }
            return built
        } catch {
            return BuiltNode(
                node: makeNode(
                    .snapshot, name: patch.name, path: file, original: file, fqn: Array(fqn), raw: raw, config: [:],
                    checksum: ""),
                diagnostics: [
                    .error(
                        "snapshot.relation", "snapshot '\(patch.name)': invalid relation '\(relation)'", at: location)
                ])
        }
    }

    /// The node of one snapshot: project `snapshots:` tree < (property file, applied later) <
    /// the block's own `config()`.
    private func snapshotNode(
        _ file: TemplatedFile, name: String, path: String, fqn: [String], raw: String, location: SourceLocation
    ) -> BuiltNode {
        var built = templatedNode(file)
        var config = ConfigTree(project.configTrees[.snapshot]).config(for: fqn)
        config["materialized"] = .string(MaterializationKind.snapshot.rawValue)
        ConfigTree.merge(built.own, into: &config)
        built.node = makeNode(
            .snapshot, name: name, path: path, original: file.path, fqn: fqn, raw: raw, config: config,
            checksum: StableHash.hex(raw))
        built.node.declaredAt = location
        return built
    }

    /// The UTF-8 offset just after the `%}` that closes a block's opening tag.
    static func bodyOffset(of block: SnapshotBlock, in bytes: [UInt8]) -> Int {
        var line = 1, index = 0
        while index < bytes.count, line < block.location.line {
            if bytes[index] == UInt8(ascii: "\n") { line += 1 }
            index += 1
        }
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), bytes[index + 1] == UInt8(ascii: "}") { return index + 2 }
            index += 1
        }
        return bytes.count
    }

    /// Checks a snapshot's final configuration and applies dbt 1.9's schema rules: `target_schema`
    /// (and `target_database`) are used as written; otherwise `schema` goes through
    /// `generate_schema_name` like a model's.
    func finishSnapshot(_ node: inout ManifestNode, _ diagnostics: inout [Diagnostic]) {
        let location = node.declaredAt ?? SourceLocation(file: node.originalFilePath, line: 1, column: 1)
        node.config["materialized"] = .string(MaterializationKind.snapshot.rawValue)
        do throws(Diagnostic) {
            _ = try SnapshotSettings(config: node.config, location: location)
        } catch {
            diagnostics.append(error)
        }
        if let schema = node.config["target_schema"]?.stringValue, !schema.isEmpty {
            node.schema = schema
            node.relationName = qualified(node.schema, node.alias)
        }
        if let database = node.config["target_database"]?.stringValue, !database.isEmpty {
            if database != options.target.dbname {
                diagnostics.append(
                    .error(
                        "snapshot.database",
                        "snapshot '\(node.name)' sets target_database '\(database)' but the target database is '\(options.target.dbname)'",
                        at: location, hint: "PostgreSQL cannot write to another database; remove target_database"))
            }
            node.database = database
        }
    }
}
