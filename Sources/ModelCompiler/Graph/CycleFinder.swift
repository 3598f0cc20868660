/// Finds dependency cycles: one representative cycle per strongly connected component.
struct CycleFinder {
    let graph: DependencyGraph

    /// Each cycle as unique-id indices `[a, b, c]` meaning a -> b -> c -> a (parent to child), starting at
    /// its smallest unique id; cycles sorted by that first id. Linear in nodes plus edges.
    func cycles() -> [[Int]] {
        let components = stronglyConnectedComponents()
        var result: [[Int]] = []
        for component in components {
            if component.count == 1 {
                let node = component[0]
                if graph.childIndices[node].contains(node) { result.append([node]) }
                continue
            }
            result.append(shortestCycle(in: Set(component), through: component.min()!))
        }
        return result.sorted { $0[0] < $1[0] }
    }

    /// Tarjan's algorithm, iterative so deep chains cannot overflow the stack.
    private func stronglyConnectedComponents() -> [[Int]] {
        let n = graph.ids.count
        var index = [Int](repeating: -1, count: n)
        var lowLink = [Int](repeating: 0, count: n)
        var onStack = [Bool](repeating: false, count: n)
        var stack: [Int] = []
        var components: [[Int]] = []
        var nextIndex = 0
        // Call frames: (node, position of the next child to visit).
        var frames: [(node: Int, child: Int)] = []
        for root in 0..<n where index[root] < 0 {
            frames.append((root, 0))
            index[root] = nextIndex
            lowLink[root] = nextIndex
            nextIndex += 1
            stack.append(root)
            onStack[root] = true
            while let frame = frames.last {
                let node = frame.node
                let children = graph.childIndices[node]
                if frame.child < children.count {
                    frames[frames.count - 1].child += 1
                    let child = children[frame.child]
                    if index[child] < 0 {
                        index[child] = nextIndex
                        lowLink[child] = nextIndex
                        nextIndex += 1
                        stack.append(child)
                        onStack[child] = true
                        frames.append((child, 0))
                    } else if onStack[child] {
                        lowLink[node] = min(lowLink[node], index[child])
                    }
                    continue
                }
                frames.removeLast()
                if let caller = frames.last?.node { lowLink[caller] = min(lowLink[caller], lowLink[node]) }
                if lowLink[node] == index[node] {
                    var component: [Int] = []
                    while let member = stack.popLast() {
                        onStack[member] = false
                        component.append(member)
                        if member == node { break }
                    }
                    components.append(component)
                }
            }
        }
        return components
    }

    /// The shortest path from `start` back to itself inside a component (breadth-first, children in id order).
    private func shortestCycle(in component: Set<Int>, through start: Int) -> [Int] {
        var previous: [Int: Int] = [:]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for child in graph.childIndices[node] where component.contains(child) {
                if child == start {
                    var path = [node]
                    var current = node
                    while current != start, let before = previous[current] {
                        path.append(before)
                        current = before
                    }
                    return path.reversed()
                }
                if previous[child] == nil {
                    previous[child] = node
                    queue.append(child)
                }
            }
        }
        return [start]
    }

    /// The diagnostic for one cycle: the whole cycle in the message, one note per edge.
    static func diagnostic(
        for cycle: [Int], graph: DependencyGraph, manifest: Manifest, edgeLocation: (GraphEdge) -> SourceLocation?
    ) -> Diagnostic {
        let names = cycle.map { graph.ids[$0] }
        let closed = names + [names[0]]
        var notes: [Diagnostic.Note] = []
        for position in 0..<names.count {
            let edge = GraphEdge(parent: closed[position], child: closed[position + 1])
            notes.append(Diagnostic.Note("'\(edge.child)' depends on '\(edge.parent)'", at: edgeLocation(edge)))
        }
        let closingEdge = GraphEdge(parent: names[names.count - 1], child: names[0])
        let location = edgeLocation(closingEdge) ?? fileLocation(of: names[0], in: manifest)
        return .error(
            "graph.cycle", "dependency cycle: " + closed.joined(separator: " -> "), at: location, notes: notes,
            hint: "remove one of these ref() calls to break the cycle"
        )
    }

    private static func fileLocation(of id: String, in manifest: Manifest) -> SourceLocation? {
        guard let node = manifest.nodes[id] else { return nil }
        if let declared = node.declaredAt { return declared }
        return SourceLocation(file: node.originalFilePath, line: 1, column: 1)
    }
}
