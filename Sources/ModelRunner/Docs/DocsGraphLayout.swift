import ModelCompiler

/// Places the documented nodes in columns: one band per layer (seeds and sources, then each
/// model folder such as bronze, silver, gold, in dependency order), and inside a band one column
/// per dependency level among that band's own nodes.
public struct DocsGraphLayout: Sendable {
    /// A layer's name and the columns it spans.
    public struct Layer: Codable, Sendable, Equatable {
        public var name: String
        public var firstColumn: Int
        public var columnCount: Int
    }

    public var layers: [Layer]
    /// Unique id to (layer name, column index).
    public var placement: [String: (layer: String, column: Int)]

    /// The layer a node belongs to: `seeds`/`sources` (merged when both exist), or the model's
    /// first folder under its model path (`models` when it has none).
    static func layerName(id: String, fqn: [String], type: ResourceType, hasSeedsAndSources: Bool) -> String {
        switch type {
        case .source: return hasSeedsAndSources ? "seeds & sources" : "sources"
        case .seed: return hasSeedsAndSources ? "seeds & sources" : "seeds"
        default: return fqn.count > 2 ? fqn[1] : "models"
        }
    }

    /// Lays out `ids` (with their types and fqns) using `parents` (unique id to parent ids).
    public static func compute(
        nodes: [(id: String, type: ResourceType, fqn: [String])], parents: [String: [String]]
    ) -> DocsGraphLayout {
        let ids = Set(nodes.map(\.id))
        let types = Set(nodes.map(\.type))
        let both = types.contains(.seed) && types.contains(.source)
        var layerOf: [String: String] = [:]
        for node in nodes {
            layerOf[node.id] = layerName(id: node.id, fqn: node.fqn, type: node.type, hasSeedsAndSources: both)
        }
        let inGraph: (String) -> [String] = { id in (parents[id] ?? []).filter { ids.contains($0) && $0 != id } }

        // Longest-path depth over the whole graph (cycles cannot occur in a compiled project,
        // but a visiting set keeps a malformed input from recursing forever).
        var depth: [String: Int] = [:]
        var visiting = Set<String>()
        func depthOf(_ id: String) -> Int {
            if let known = depth[id] { return known }
            guard visiting.insert(id).inserted else { return 0 }
            let value = inGraph(id).map { depthOf($0) + 1 }.max() ?? 0
            visiting.remove(id)
            depth[id] = value
            return value
        }
        nodes.forEach { _ = depthOf($0.id) }

        // Layers in order of their nodes' mean depth, then name.
        let grouped = Dictionary(grouping: nodes.map(\.id), by: { layerOf[$0]! })
        let order = grouped.keys.sorted { a, b in
            let ma = Double(grouped[a]!.map { depth[$0]! }.reduce(0, +)) / Double(grouped[a]!.count)
            let mb = Double(grouped[b]!.map { depth[$0]! }.reduce(0, +)) / Double(grouped[b]!.count)
            return (ma, a) < (mb, b)
        }

        // Inside a layer, the longest path through the layer's own nodes.
        var local: [String: Int] = [:]
        func localDepth(_ id: String, _ seen: Set<String>) -> Int {
            if let known = local[id] { return known }
            let layer = layerOf[id]
            let value =
                inGraph(id).filter { layerOf[$0] == layer && !seen.contains($0) }
                .map { localDepth($0, seen.union([id])) + 1 }.max() ?? 0
            local[id] = value
            return value
        }
        var layers: [Layer] = []
        var placement: [String: (layer: String, column: Int)] = [:]
        var next = 0
        for name in order {
            let members = grouped[name]!
            let levels = members.map { localDepth($0, []) }
            let count = (levels.max() ?? 0) + 1
            for (id, level) in zip(members, levels) { placement[id] = (name, next + level) }
            layers.append(Layer(name: name, firstColumn: next, columnCount: count))
            next += count
        }
        return DocsGraphLayout(layers: layers, placement: placement)
    }
}
