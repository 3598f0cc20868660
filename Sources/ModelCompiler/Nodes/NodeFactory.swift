import Foundation

/// Builds single manifest nodes from what one compile knows in advance (project file, options,
/// macros, docs). It holds no node collection and never mutates, so `NodeBuilder` calls it on
/// every core; whatever it finds wrong comes back with the result instead of being collected.
struct NodeFactory: Sendable {
    let project: ProjectConfig
    let options: CompileOptions
    let macros: MacroLibrary
    let docs: [String: DocDefinition]
    /// Macros the project itself defines (they override built-in ones).
    var projectMacroNames: Set<String> = []
    /// The globals every render of this compile shares, built once (not per node).
    let globals: [String: TemplateValue]
    /// Whether a `generate_schema_name` macro exists, looked up once.
    let hasSchemaMacro: Bool
    /// Installed packages, whose files make nodes of their own package.
    var packages: [InstalledPackage] = []

    init(project: ProjectConfig, options: CompileOptions, macros: MacroLibrary, docs: [String: DocDefinition]) {
        self.project = project
        self.options = options
        self.macros = macros
        self.docs = docs
        var vars = project.vars
        vars.merge(options.vars) { $1 }
        globals = CompiledProject.baseGlobals(projectName: project.name, vars: vars, options: options, adapter: nil)
        hasSchemaMacro = macros.has("generate_schema_name")
    }

    /// The calls read from a node's template without rendering it.
    static let nodeCalls: Set<String> = ["ref", "source", "config"]

    // MARK: - Templated files

    /// A model, analysis or singular test from its parsed template: configuration from the project
    /// tree and the file's own `config()`, and the `ref`/`source` calls still to resolve.
    func templatedNode(_ file: TemplatedFile) -> BuiltNode {
        let roots: [String], treeType: ResourceType
        let owner = self.owner(of: file.path)
        switch file.type {
        case .analysis: (roots, treeType) = (owner.analysisPaths, .model)
        case .test: (roots, treeType) = (owner.testPaths, .test)
        default: (roots, treeType) = (owner.modelPaths, .model)
        }
        let (relative, fqn, name) = locate(file.path, roots: roots, extension: ".sql")
        var config = treeConfig(treeType, fqn: fqn)
        if file.type == .test, config["severity"] == nil { config["severity"] = "ERROR" }
        var own: NodeConfig = [:]
        var refs: [PendingRef] = []
        var diagnostics: [Diagnostic] = []
        for call in file.calls ?? file.template.staticCalls(named: Self.nodeCalls) {
            switch call.name {
            case "config":
                do throws(DiagnosticsError) {
                    for argument in try call.evaluatedKeywordArguments(parseContext) {
                        ConfigTree.merge(key: argument.name, value: argument.value, into: &own)
                    }
                } catch {
                    diagnostics += error.diagnostics
                }
            default:
                refs.append(PendingRef(call: call, location: call.location))
            }
        }
        ConfigTree.merge(own, into: &config)
        let node = makeNode(
            file.type, name: name, path: relative, original: file.path, fqn: fqn, raw: file.text, config: config,
            checksum: StableHash.hex(file.text))
        return BuiltNode(node: node, own: own, refs: refs, template: file.template, diagnostics: diagnostics)
    }

    /// Path relative to its resource folder, fqn, and node name.
    func locate(_ path: String, roots: [String], extension ext: String) -> (String, [String], String) {
        var relative = path
        for root in roots.sorted(by: { $0.count > $1.count }) {
            let prefix = root.hasSuffix("/") ? root : root + "/"
            if path.hasPrefix(prefix) {
                relative = String(path.dropFirst(prefix.count))
                break
            }
        }
        var parts = relative.split(separator: "/").map(String.init)
        let file = parts.removeLast()
        let name = file.hasSuffix(ext) ? String(file.dropLast(ext.count)) : file
        return (relative, [owner(of: path).name] + parts + [name], name)
    }

    func makeNode(
        _ type: ResourceType, name: String, path: String, original: String, fqn: [String], raw: String,
        config: NodeConfig, checksum: String
    ) -> ManifestNode {
        ManifestNode(
            uniqueId: "\(type.rawValue).\(fqn.first ?? project.name).\(name)", resourceType: type, name: name,
            packageName: fqn.first ?? project.name, path: path, originalFilePath: original, fqn: fqn,
            database: options.target.dbname, schema: options.target.schema, alias: name, rawCode: raw, config: config,
            checksum: FileChecksum(checksum: checksum))
    }

    // MARK: - Properties

    /// A model or seed with its property-file entry applied (precedence: project tree < property
    /// file < the file's own `config()`), descriptions rendered.
    func patched(
        _ node: ManifestNode, with patch: NodePatch, file: String, fileConfig: NodeConfig
    ) -> (ManifestNode, [Diagnostic]) {
        var node = node
        var diagnostics: [Diagnostic] = []
        let patch = renderingJinja(in: patch, &diagnostics)
        let tree: ResourceType =
            node.resourceType == .seed || node.resourceType == .snapshot ? node.resourceType : .model
        var config = treeConfig(tree, fqn: node.fqn)
        if node.resourceType == .seed, config["materialized"] == nil {
            config["materialized"] = .string(MaterializationKind.seed.rawValue)
        }
        ConfigTree.merge(patch.config, into: &config)
        ConfigTree.merge(fileConfig, into: &config)
        node.config = config
        node.description = renderDescription(patch.description, at: patch.location, &diagnostics)
        node.meta = patch.meta
        node.tags = patch.tags
        node.patchPath = file
        node.declaredAt = patch.location
        for column in patch.columns {
            var info = column.info
            info.description = renderDescription(info.description, at: column.location, &diagnostics)
            node.columns[info.name] = info
        }
        return (node, diagnostics)
    }

    /// Tags, meta, schema, alias and relation name from the final configuration.
    func finish(_ node: inout ManifestNode, _ diagnostics: inout [Diagnostic]) {
        var tags = node.config.configTags
        for tag in node.tags where !tags.contains(tag) { tags.append(tag) }
        node.tags = tags
        node.config["tags"] = .array(tags.map(JSONValue.string))
        if let meta = node.config["meta"]?.objectValue { node.meta.merge(meta) { $1 } }
        if !node.meta.isEmpty { node.config["meta"] = .object(node.meta) }
        node.schema = schemaName(custom: node.config.customSchema, node: node, &diagnostics)
        node.alias =
            node.config.aliasName ?? node.version.map { version in
                // dbt's generate_alias_name for a versioned model: <name>_v<v>, dots as underscores
                "\(node.name)_v\(ModelVersionDeclaration.text(of: version).replacingOccurrences(of: ".", with: "_"))"
            } ?? node.name
        switch node.resourceType {
        case .model, .seed, .snapshot:
            node.relationName = node.materialization == .ephemeral ? nil : qualified(node.schema, node.alias)
        case .test:
            node.schema = "\(options.target.schema)_test_failures"
            node.relationName =
                node.config["store_failures"]?.boolValue == true ? qualified(node.schema, node.alias) : nil
        default:
            node.relationName = nil
        }
        if node.resourceType == .snapshot { finishSnapshot(&node, &diagnostics) }
    }

    func qualified(_ schema: String, _ name: String) -> String {
        "\"\(CompiledProject.doublingQuotes(schema))\".\"\(CompiledProject.doublingQuotes(name))\""
    }

    /// dbt's `generate_schema_name`: a project macro of that name wins; else `<target schema>_<custom>`.
    func schemaName(custom: String?, node: ManifestNode, _ diagnostics: inout [Diagnostic]) -> String {
        if hasSchemaMacro {
            do throws(DiagnosticsError) {
                let value = try macros.call(
                    "generate_schema_name",
                    positional: [custom.map(TemplateValue.string) ?? .none, CompiledProject.nodeObject(node)],
                    keyword: [:], context: RenderContext(sharedGlobals: globals, macros: macros))
                let text = value.description.trimmingCharacters(in: .whitespacesAndNewlines)
                if !text.isEmpty { return text }
            } catch {
                diagnostics += error.diagnostics
            }
        }
        guard let custom, !custom.isEmpty else { return options.target.schema }
        return "\(options.target.schema)_\(custom.trimmingCharacters(in: .whitespaces))"
    }

    /// `{{ doc('name') }}` in descriptions.
    func renderDescription(_ text: String, at location: SourceLocation, _ diagnostics: inout [Diagnostic]) -> String {
        guard text.utf8.contains(UInt8(ascii: "{")), text.contains("{{") else { return text }
        let docs = self.docs
        let projectName = project.name
        let doc = TemplateFunction(name: "doc") { args in
            guard let name = args.positional.last?.description else { throw TemplateError("doc() needs a name") }
            // `doc('name')`: the root project's block, else a package's; `doc('package', 'name')`.
            let package = args.positional.count > 1 ? args.positional[0].description : nil
            guard
                let block = docs["doc.\(package ?? projectName).\(name)"]
                    ?? (package == nil
                        ? docs.values.filter { $0.name == name }.min(by: { $0.uniqueId < $1.uniqueId }) : nil)
            else {
                let known = docs.values.map(\.name)
                throw TemplateError(
                    "unknown doc '\(name)'"
                        + (closestMatch(to: name, in: known).map { "; did you mean '\($0)'?" } ?? ""))
            }
            return .string(block.blockContents.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        do throws(DiagnosticsError) {
            let template = try Template.parse(text, file: location.file)
            return try template.render(
                RenderContext(globals: ["doc": .function(doc)], sharedGlobals: globals, macros: macros))
        } catch {
            diagnostics += error.diagnostics.map { d in
                var copy = d
                copy.location = location
                return copy
            }
            return text
        }
    }
}

/// A model, analysis or singular test file, parsed, waiting to become a node.
struct TemplatedFile: Sendable {
    var type: ResourceType
    var path: String
    var text: String
    var template: Template
    /// `ref`, `source` and `config` calls, when already read with the parse.
    var calls: [StaticCall]?
}

/// One node as `NodeFactory` built it, before `NodeBuilder` registers it.
struct BuiltNode: Sendable {
    var node: ManifestNode
    /// The file's own `config()` arguments, which win over property files.
    var own: NodeConfig = [:]
    var refs: [PendingRef] = []
    var template: Template?
    var diagnostics: [Diagnostic] = []
}

extension MacroLibrary {
    /// Whether the project or a package defines a macro of that name (dbt's built-in ones aside).
    func has(_ name: String) -> Bool { projectMacro(named: name) != nil }
}

/// A `ref` or `source` call waiting to become an edge, located where an error should point.
struct PendingRef: Sendable {
    var call: StaticCall
    var location: SourceLocation
    var kind: String { call.name }
}
