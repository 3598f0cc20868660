/// A node or a source, as the selection methods see it.
enum SelectionTarget: Sendable {
    case node(ManifestNode)
    case source(SourceDefinition)

    var resourceType: ResourceType {
        switch self {
        case .node(let node): node.resourceType
        case .source: .source
        }
    }

    var packageName: String {
        switch self {
        case .node(let node): node.packageName
        case .source(let source): source.packageName
        }
    }

    var originalFilePath: String {
        switch self {
        case .node(let node): node.originalFilePath
        case .source(let source): source.originalFilePath
        }
    }

    /// The property file that patched a node (`package://path` in dbt's manifest; the path alone is accepted too).
    var patchFilePath: String? {
        guard case .node(let node) = self, let patch = node.patchPath else { return nil }
        if let range = patch.range(of: "://") { return String(patch[range.upperBound...]) }
        return patch
    }

    var config: NodeConfig {
        switch self {
        case .node(let node): node.config
        case .source(let source): source.config
        }
    }

    /// Tags, including tags set through `config(tags=...)`.
    var tags: [String] {
        switch self {
        case .node(let node): node.tags + node.config.configTags.filter { !node.tags.contains($0) }
        case .source(let source): source.tags + source.config.configTags.filter { !source.tags.contains($0) }
        }
    }
}

/// What the selection methods search: the manifest's nodes and sources by graph index.
struct SelectionContext: Sendable {
    let manifest: Manifest
    let graph: DependencyGraph
    let previous: Manifest?
    /// The sources.json load times of this and the earlier run, for `source_status:`.
    var freshness: SourceFreshnessStates? = nil
    /// By graph index; nil for an id the manifest does not describe.
    let targets: [SelectionTarget?]

    init(manifest: Manifest, graph: DependencyGraph, previous: Manifest?) {
        self.manifest = manifest
        self.graph = graph
        self.previous = previous
        targets = graph.ids.map { id in
            if let node = manifest.nodes[id] { return .node(node) }
            if let source = manifest.sources[id] { return .source(source) }
            return nil
        }
    }

    /// Indices of nodes and sources satisfying `predicate`.
    func all(where predicate: (SelectionTarget) -> Bool) -> [Int] {
        targets.indices.filter { targets[$0].map(predicate) ?? false }
    }

    /// Indices of nodes (not sources) satisfying `predicate`.
    func nodes(where predicate: (Int, ManifestNode) -> Bool) -> [Int] {
        targets.indices.filter { index in
            if case .node(let node)? = targets[index] { return predicate(index, node) }
            return false
        }
    }

    /// Indices of sources satisfying `predicate`.
    func sources(where predicate: (Int, SourceDefinition) -> Bool) -> [Int] {
        targets.indices.filter { index in
            if case .source(let source)? = targets[index] { return predicate(index, source) }
            return false
        }
    }

    /// Whether a criterion without method names a project path: it has a slash, or is a file or
    /// folder some node lives in (dbt checks the disk; the manifest knows every relevant file).
    func isProbablyPath(_ value: String) -> Bool {
        if value == "." || value.contains("/") || value.contains("\\") { return true }
        let trimmed = value.hasPrefix("./") ? String(value.dropFirst(2)) : value
        return targets.contains { target in
            guard let path = target?.originalFilePath else { return false }
            return path == trimmed || path.hasPrefix(trimmed + "/")
        }
    }
}
