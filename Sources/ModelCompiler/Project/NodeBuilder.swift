/// Builds manifest nodes from parsed files: names, configuration (project tree < property file <
/// in-file `config()`), relation names, and the edges read from the template syntax tree.
struct NodeBuilder {
    let project: ProjectConfig
    let options: CompileOptions
    let macros: MacroLibrary
    let docs: [String: DocDefinition]
    let properties: [PropertyFile]
    /// Macros the project itself defines (they override built-in ones).
    var projectMacroNames: Set<String> = []

    var nodes: [String: ManifestNode] = [:]
    var sources: [String: SourceDefinition] = [:]
    var disabled: [String: [ManifestNode]] = [:]
    var templates: [String: Template] = [:]
    var unitTests: [String: UnitTestDeclaration] = [:]
    var edgeLocations: [GraphEdge: SourceLocation] = [:]
    var diagnostics: [Diagnostic] = []
    /// Pending references of each node, resolved once every node and source is known.
    var pendingRefs: [String: [PendingRef]] = [:]
    /// Node name to unique id, per resource type group (models/seeds/snapshots share one namespace).
    var nameIndex: [String: String] = [:]
    var nameFiles: [String: String] = [:]
    /// The globals every render of this compile shares, built once (not per node).
    lazy var sharedGlobals: [String: TemplateValue] = staticGlobals()
    /// Each templated node's own `config()` arguments, which win over property files.
    var fileConfigs: [String: NodeConfig] = [:]

    init(project: ProjectConfig, options: CompileOptions, macros: MacroLibrary, docs: [String: DocDefinition], properties: [PropertyFile]) {
        self.project = project
        self.options = options
        self.macros = macros
        self.docs = docs
        self.properties = properties
    }

    /// The calls read from a node's template without rendering it.
    static let nodeCalls: Set<String> = ["ref", "source", "config"]

    // MARK: - Files

    mutating func addModel(path: String, text: String, template: Template, calls: [StaticCall]? = nil) {
        addTemplated(.model, path: path, text: text, template: template, roots: project.modelPaths, tree: project.configTrees[.model], calls: calls)
    }

    mutating func addAnalysis(path: String, text: String, template: Template, calls: [StaticCall]? = nil) {
        addTemplated(.analysis, path: path, text: text, template: template, roots: project.analysisPaths, tree: project.configTrees[.model], calls: calls)
    }

    mutating func addSingularTest(path: String, text: String, template: Template, calls: [StaticCall]? = nil) {
        addTemplated(.test, path: path, text: text, template: template, roots: project.testPaths, tree: project.configTrees[.test], calls: calls)
    }

    mutating func addSeed(path: String, checksum: String) {
        let (relative, fqn, name) = locate(path, roots: project.seedPaths, extension: ".csv")
        var config = ConfigTree(project.configTrees[.seed]).config(for: fqn)
        if config["materialized"] == nil { config["materialized"] = "seed" }
        let node = makeNode(.seed, name: name, path: relative, original: path, fqn: fqn, raw: "", config: config, checksum: checksum)
        register(node, location: SourceLocation(file: path, line: 1, column: 1))
    }

    private mutating func addTemplated(
        _ type: ResourceType, path: String, text: String, template: Template, roots: [String], tree: YAMLNode?,
        calls: [StaticCall]?
    ) {
        let (relative, fqn, name) = locate(path, roots: roots, extension: ".sql")
        var config = ConfigTree(tree).config(for: fqn)
        if type == .test, config["severity"] == nil { config["severity"] = "ERROR" }
        var refs: [PendingRef] = []
        var own: NodeConfig = [:]
        for call in calls ?? template.staticCalls(named: NodeBuilder.nodeCalls) {
            switch call.name {
            case "config":
                for argument in call.keywordArguments {
                    guard let value = argument.value else {
                        diagnostics.append(.error(
                            "config.non-literal", "config argument '\(argument.name)' must be a literal value",
                            at: call.location, length: 6, hint: "sqlt reads config() without rendering; move computed values to the project file or a property file"))
                        continue
                    }
                    ConfigTree.merge(key: argument.name, value: value, into: &own)
                }
            default:
                refs.append(PendingRef(call: call, location: call.location))
            }
        }
        ConfigTree.merge(own, into: &config)
        let node = makeNode(type, name: name, path: relative, original: path, fqn: fqn, raw: text, config: config, checksum: StableHash.hex(text))
        fileConfigs[node.uniqueId] = own
        templates[node.uniqueId] = template
        pendingRefs[node.uniqueId] = refs
        register(node, location: SourceLocation(file: path, line: 1, column: 1))
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
        return (relative, [project.name] + parts + [name], name)
    }

    func makeNode(
        _ type: ResourceType, name: String, path: String, original: String, fqn: [String], raw: String,
        config: NodeConfig, checksum: String
    ) -> ManifestNode {
        ManifestNode(
            uniqueId: "\(type.rawValue).\(project.name).\(name)", resourceType: type, name: name,
            packageName: project.name, path: path, originalFilePath: original, fqn: fqn,
            database: options.target.dbname, schema: options.target.schema, alias: name, rawCode: raw, config: config,
            checksum: FileChecksum(checksum: checksum))
    }

    mutating func register(_ node: ManifestNode, location: SourceLocation) {
        guard node.config.enabled else {
            disabled[node.uniqueId, default: []].append(node)
            return
        }
        if node.resourceType != .test && node.resourceType != .analysis {
            if let existing = nameFiles[node.name] {
                diagnostics.append(.error(
                    "node.duplicate", "two resources are named '\(node.name)': '\(existing)' and '\(node.originalFilePath)'",
                    at: location, notes: [.init("first defined here", at: SourceLocation(file: existing, line: 1, column: 1))],
                    hint: "rename one of them, or disable one with enabled: false"))
                return
            }
            nameFiles[node.name] = node.originalFilePath
            nameIndex[node.name] = node.uniqueId
        } else if nodes[node.uniqueId] != nil {
            diagnostics.append(.error("node.duplicate", "two tests are named '\(node.name)'", at: location))
            return
        }
        nodes[node.uniqueId] = node
    }
}

extension MacroLibrary {
    /// Whether a macro of that name is registered.
    func has(_ name: String) -> Bool { macro(named: name) != nil }
}

/// A `ref` or `source` call waiting to become an edge, located where an error should point.
struct PendingRef {
    var call: StaticCall
    var location: SourceLocation
    var kind: String { call.name }
}
