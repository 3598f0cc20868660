extension DependencyGraph {
    /// The extra dependencies of `sqlt build` (dbt's `add_test_edges`): a node waits for every data test
    /// upstream of it whose tested nodes are all upstream of it, so a failing error-severity test skips
    /// the descendants of the model it tests. Returns node -> tests it must wait for; pass it to
    /// `DAGScheduler(extraDependencies:)`.
    ///
    /// Only the nearest such nodes get an edge (later descendants wait through them), which keeps
    /// the result linear for single-node tests; a test on several nodes costs one graph walk per node.
    public func buildTestDependencies(manifest: Manifest) -> [String: Set<String>] {
        var isTest = [Bool](repeating: false, count: ids.count)
        var isUnitTest = [Bool](repeating: false, count: ids.count)
        for (index, id) in ids.enumerated() {
            isTest[index] = manifest.nodes[id]?.resourceType == .test
            isUnitTest[index] = manifest.nodes[id]?.resourceType == .unitTest
        }
        var result: [String: Set<String>] = [:]
        for test in ids.indices where isTest[test] {
            let tested = parentIndices[test].filter { !isTest[$0] && !isUnitTest[$0] }
            guard let first = tested.first else { continue }
            if tested.count == 1 {
                for child in childIndices[first] where !isTest[child] && !isUnitTest[child] {
                    result[ids[child], default: []].insert(ids[test])
                }
                continue
            }
            // Nodes downstream of every tested node, then the minimal ones among them.
            var inAll = [Bool](repeating: false, count: ids.count)
            var candidates = reach(from: [first], along: childIndices, depth: nil).filter {
                !isTest[$0] && !isUnitTest[$0]
            }
            for other in tested.dropFirst() {
                var below = Set(reach(from: [other], along: childIndices, depth: nil))
                below.remove(other)
                candidates = candidates.filter { below.contains($0) }
            }
            for node in candidates { inAll[node] = true }
            for node in candidates where !parentIndices[node].contains(where: { inAll[$0] }) {
                result[ids[node], default: []].insert(ids[test])
            }
        }
        return result
    }
}
