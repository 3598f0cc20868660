/// One edge of the dependency graph: `child` depends on `parent`.
public struct GraphEdge: Hashable, Sendable, CustomStringConvertible {
    public let parent: String
    public let child: String

    public init(parent: String, child: String) {
        self.parent = parent
        self.child = child
    }

    public var description: String { "\(parent) -> \(child)" }
}

/// The project's graph over unique ids (models, seeds, snapshots, tests, sources).
///
/// Nodes are every entry of `manifest.nodes` and `manifest.sources`; edges come from each node's
/// `dependsOn.nodes` (parent -> child). Dependencies on ids the manifest does not know are ignored
/// (the compiler reports them as unknown refs). The graph is acyclic once built.
public struct DependencyGraph: Sendable {
    /// Every unique id, sorted; a node's index is its position here.
    let ids: [String]
    let indexOf: [String: Int]
    /// Parent indices of each node, ascending (so sorted by unique id).
    let parentIndices: [[Int]]
    /// Child indices of each node, ascending (so sorted by unique id).
    let childIndices: [[Int]]

    /// Unique id to the unique ids it depends on, sorted; every node is present.
    public let parentMap: [String: [String]]
    /// Unique id to the unique ids that depend on it, sorted; every node is present.
    public let childMap: [String: [String]]

    /// Builds the graph, throwing one diagnostic per dependency cycle.
    public init(manifest: Manifest, edgeLocations: [GraphEdge: SourceLocation] = [:]) throws(DiagnosticsError) {
        try self.init(manifest: manifest, edgeLocation: { edgeLocations[$0] })
    }

    /// Builds the graph, throwing one diagnostic per dependency cycle; `edgeLocation` tells where an
    /// edge of a cycle was written (asked only when there is a cycle).
    public init(manifest: Manifest, edgeLocation: (GraphEdge) -> SourceLocation?) throws(DiagnosticsError) {
        var ids = Array(manifest.nodes.keys)
        for id in manifest.sources.keys where manifest.nodes[id] == nil { ids.append(id) }
        ids.sort()
        let nodes = manifest.nodes
        self.init(sortedIds: ids) { nodes[$0]?.dependsOn.nodes ?? [] }
        let cycles = CycleFinder(graph: self).cycles()
        if !cycles.isEmpty {
            throw DiagnosticsError(
                cycles.map {
                    CycleFinder.diagnostic(for: $0, graph: self, manifest: manifest, edgeLocation: edgeLocation)
                })
        }
    }

    /// Builds a graph from plain adjacency (node to the nodes it depends on), without checking for cycles.
    /// Ids that appear only as dependencies are ignored.
    init(dependencies: [String: [String]]) {
        self.init(sortedIds: dependencies.keys.sorted()) { dependencies[$0] ?? [] }
    }

    /// The graph over `ids` (sorted), with each node's dependencies from `dependenciesOf`.
    private init(sortedIds ids: [String], dependenciesOf: (String) -> [String]) {
        var indexOf: [String: Int] = [:]
        indexOf.reserveCapacity(ids.count)
        for (index, id) in ids.enumerated() { indexOf[id] = index }
        var parents = [[Int]](repeating: [], count: ids.count)
        var children = [[Int]](repeating: [], count: ids.count)
        for (child, id) in ids.enumerated() {
            var found = dependenciesOf(id).compactMap { indexOf[$0] }
            found.sort()
            var previous = -1
            for parent in found where parent != previous {
                parents[child].append(parent)
                children[parent].append(child)
                previous = parent
            }
        }
        // Children were appended in ascending child order already.
        self.ids = ids
        self.indexOf = indexOf
        self.parentIndices = parents
        self.childIndices = children
        // The two maps are independent: build them side by side.
        let maps = parallelMap([parents, children], minimumCount: ids.count > 1_000 ? 2 : 3) { adjacency in
            var map: [String: [String]] = [:]
            map.reserveCapacity(ids.count)
            for (index, id) in ids.enumerated() { map[id] = adjacency[index].map { ids[$0] } }
            return map
        }
        self.parentMap = maps[0]
        self.childMap = maps[1]
    }

    /// Every unique id in the graph, sorted.
    public var nodeIDs: [String] { ids }

    /// The number of nodes.
    public var count: Int { ids.count }

    /// Whether the graph has a node with this unique id.
    public func contains(_ id: String) -> Bool { indexOf[id] != nil }

    /// Direct parents (what `id` depends on), sorted.
    public func parents(of id: String) -> [String] { parentMap[id] ?? [] }

    /// Direct children (what depends on `id`), sorted.
    public func children(of id: String) -> [String] { childMap[id] ?? [] }

    /// Everything `id` depends on, transitively, up to `depth` edges away (nil: unlimited); excludes `id`.
    public func ancestors(of id: String, depth: Int? = nil) -> Set<String> {
        ancestors(of: [id], depth: depth)
    }

    /// Everything that depends on `id`, transitively, up to `depth` edges away (nil: unlimited); excludes `id`.
    public func descendants(of id: String, depth: Int? = nil) -> Set<String> {
        descendants(of: [id], depth: depth)
    }

    /// The union of the ancestors of each id (an id can be an ancestor of another one in the set).
    public func ancestors(of ids: some Sequence<String>, depth: Int? = nil) -> Set<String> {
        let start = ids.compactMap { indexOf[$0] }
        return Set(reach(from: start, along: parentIndices, depth: depth).map { self.ids[$0] })
    }

    /// The union of the descendants of each id (an id can be a descendant of another one in the set).
    public func descendants(of ids: some Sequence<String>, depth: Int? = nil) -> Set<String> {
        let start = ids.compactMap { indexOf[$0] }
        return Set(reach(from: start, along: childIndices, depth: depth).map { self.ids[$0] })
    }

    /// Deterministic topological order (parents first, ties broken by unique id), of the whole graph
    /// or of `subset` (ordered as in the whole graph, so indirect dependencies are respected).
    public func topologicalOrder(_ subset: Set<String>? = nil) -> [String] {
        let order = topologicalIndices()
        guard let subset else { return order.map { ids[$0] } }
        return order.compactMap { subset.contains(ids[$0]) ? ids[$0] : nil }
    }

    // MARK: - Index-based traversal, shared with the selector and the scheduler

    /// Nodes reachable from `start` (excluding the start nodes themselves unless reachable from another
    /// start node) within `depth` steps along `adjacency`. Multi-source breadth-first search: linear.
    func reach(from start: [Int], along adjacency: [[Int]], depth: Int?) -> [Int] {
        if let depth, depth <= 0 { return [] }
        var distance = [Int](repeating: -1, count: adjacency.count)
        var queue: [Int] = []
        queue.reserveCapacity(start.count)
        for node in start where distance[node] < 0 {
            distance[node] = 0
            queue.append(node)
        }
        var reached = [Bool](repeating: false, count: adjacency.count)
        var result: [Int] = []
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            let next = distance[node] + 1
            if let depth, next > depth { continue }
            for neighbour in adjacency[node] {
                if !reached[neighbour] {
                    reached[neighbour] = true
                    result.append(neighbour)
                }
                if distance[neighbour] < 0 {
                    distance[neighbour] = next
                    queue.append(neighbour)
                }
            }
        }
        return result
    }

    /// Kahn's algorithm with a min-heap on the index (which is the unique-id order).
    func topologicalIndices() -> [Int] {
        var remaining = parentIndices.map(\.count)
        var heap = MinHeap<Int>()
        for node in 0..<ids.count where remaining[node] == 0 { heap.push(node) }
        var order: [Int] = []
        order.reserveCapacity(ids.count)
        while let node = heap.pop() {
            order.append(node)
            for child in childIndices[node] {
                remaining[child] -= 1
                if remaining[child] == 0 { heap.push(child) }
            }
        }
        return order
    }
}
