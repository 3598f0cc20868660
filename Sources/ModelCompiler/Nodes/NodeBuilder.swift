/// Builds manifest nodes from parsed files: names, configuration (project tree < property file <
/// in-file `config()`), relation names, and the edges read from the template syntax tree.
///
/// Each step builds its nodes on every core with `NodeFactory` (which only reads), then records
/// them here one by one, in file order, so names, duplicates and diagnostics come out the same on
/// every run.
struct NodeBuilder {
    var factory: NodeFactory
    let properties: [PropertyFile]

    var nodes: [String: ManifestNode] = [:]
    var sources: [String: SourceDefinition] = [:]
    var disabled: [String: [ManifestNode]] = [:]
    var templates: [String: Template] = [:]
    var unitTests: [String: UnitTestDeclaration] = [:]
    var diagnostics: [Diagnostic] = []
    /// Pending references of each node, resolved once every node and source is known.
    var pendingRefs: [String: [PendingRef]] = [:]
    /// Node name to unique id, per resource type group (models/seeds/snapshots share one namespace).
    var nameIndex: [String: String] = [:]
    /// Versioned model name to its versions (`v` as text) and their unique ids.
    var versionIndex: [String: [String: String]] = [:]
    var nameFiles: [String: String] = [:]
    /// Each templated node's own `config()` arguments, which win over property files.
    var fileConfigs: [String: NodeConfig] = [:]

    init(
        project: ProjectConfig, options: CompileOptions, macros: MacroLibrary, docs: [String: DocDefinition],
        properties: [PropertyFile]
    ) {
        factory = NodeFactory(project: project, options: options, macros: macros, docs: docs)
        self.properties = properties
    }

    /// Where the `ref` behind an edge is written: its first call in the child's file.
    func edgeLocation(_ edge: GraphEdge) -> SourceLocation? {
        for pending in pendingRefs[edge.child] ?? [] where pending.kind == "ref" {
            if let name = pending.call.arguments.last??.stringValue, nameIndex[name] == edge.parent {
                return pending.location
            }
        }
        return nil
    }

    var project: ProjectConfig { factory.project }
    var options: CompileOptions { factory.options }
    var macros: MacroLibrary { factory.macros }

    // MARK: - Files

    /// Models, analyses and singular tests, built on every core and registered in the given order.
    mutating func addTemplated(_ files: [TemplatedFile]) {
        let factory = self.factory
        // Thousands of inserts: size the maps once rather than growing them step by step.
        let expected = nodes.count + files.count
        if nodes.capacity < expected {
            nodes.reserveCapacity(expected)
            templates.reserveCapacity(expected)
            pendingRefs.reserveCapacity(expected)
            fileConfigs.reserveCapacity(expected)
            nameIndex.reserveCapacity(expected)
            nameFiles.reserveCapacity(expected)
        }
        for built in parallelMap(files, { factory.templatedNode($0) }) {
            diagnostics += built.diagnostics
            let id = built.node.uniqueId
            guard register(built.node, location: SourceLocation(file: built.node.originalFilePath, line: 1, column: 1))
            else { continue }
            fileConfigs[id] = built.own
            templates[id] = built.template
            pendingRefs[id] = built.refs
        }
    }

    /// Snapshots: one node per `{% snapshot %}` block of the snapshot files, then one per
    /// `snapshots:` entry with a `relation` in the property files.
    mutating func addSnapshots(_ files: [TemplatedFile]) {
        let factory = self.factory
        var built = parallelMap(files, { factory.snapshotNodes($0) }).flatMap { $0 }
        for file in properties {
            for patch in file.snapshots {
                guard let relation = patch.relation else { continue }
                built.append(factory.yamlSnapshot(patch, relation: relation, file: file.file))
            }
        }
        for snapshot in built {
            diagnostics += snapshot.diagnostics
            guard !snapshot.node.name.isEmpty else { continue }
            let id = snapshot.node.uniqueId
            guard
                register(
                    snapshot.node,
                    location: snapshot.node.declaredAt
                        ?? SourceLocation(file: snapshot.node.originalFilePath, line: 1, column: 1))
            else { continue }
            fileConfigs[id] = snapshot.own
            templates[id] = snapshot.template
            pendingRefs[id] = snapshot.refs
        }
    }

    mutating func addSeed(path: String, checksum: String) {
        let (relative, fqn, name) = factory.locate(
            path, roots: factory.owner(of: path).seedPaths, extension: path.hasSuffix(".xlsx") ? ".xlsx" : ".csv")
        var config = factory.treeConfig(.seed, fqn: fqn)
        if config["materialized"] == nil { config["materialized"] = .string(MaterializationKind.seed.rawValue) }
        let node = factory.makeNode(
            .seed, name: name, path: relative, original: path, fqn: fqn, raw: "", config: config, checksum: checksum)
        register(node, location: SourceLocation(file: path, line: 1, column: 1))
    }

    /// Diagnostics of a step that visits nodes in no particular order, recorded in unique-id order so
    /// they read the same on every run (sorting the few nodes with diagnostics, not all of them).
    mutating func record(_ found: [(id: String, diagnostics: [Diagnostic])]) {
        for entry in found.sorted(by: { $0.id < $1.id }) { diagnostics += entry.diagnostics }
    }

    /// Records a node; false when it is disabled or a duplicate (reported).
    @discardableResult
    mutating func register(_ node: ManifestNode, location: SourceLocation) -> Bool {
        guard node.config.enabled else {
            disabled[node.uniqueId, default: []].append(node)
            return false
        }
        if node.resourceType != .test && node.resourceType != .analysis {
            if let existing = nameFiles[node.name] {
                diagnostics.append(
                    .error(
                        "node.duplicate",
                        "two resources are named '\(node.name)': '\(existing)' and '\(node.originalFilePath)'",
                        at: location,
                        notes: [.init("first defined here", at: SourceLocation(file: existing, line: 1, column: 1))],
                        hint: "rename one of them, or disable one with enabled: false"))
                return false
            }
            nameFiles[node.name] = node.originalFilePath
            nameIndex[node.name] = node.uniqueId
        } else if nodes[node.uniqueId] != nil {
            diagnostics.append(.error("node.duplicate", "two tests are named '\(node.name)'", at: location))
            return false
        }
        nodes[node.uniqueId] = node
        return true
    }
}
