/// Decides what runs next. Value type; the runner owns the threads.
///
/// A dependency outside `selected` is treated as already done (a selected child of an unselected
/// parent is ready at once), but, as dbt keeps transitive edges when it runs a subset of the graph,
/// a selected node still waits for a selected ancestor reached through unselected nodes, and is
/// skipped when that ancestor fails. `extraDependencies` adds edges (node -> the nodes it must also wait for), for example
/// `sqlt build` making a model's children wait for the model's tests (see
/// `DependencyGraph.buildTestDependencies(manifest:)`). Ready nodes are started in order of their
/// critical path (longest chain of selected descendants) first, then by unique id.
///
/// Protocol: call `initialActions()` once, run every `.start` and report it with `finished(_:_:)`;
/// `.skip` actions are final (do not report them). Stop when `isComplete`.
public struct DAGScheduler: Sendable {
    /// How a started node ended. `skipped` (the runner decided not to run it) skips its descendants too.
    public enum Status: Sendable { case success, failure, skipped }

    /// What the runner should do next.
    public enum Action: Sendable, Equatable, CustomStringConvertible {
        case start(String)
        /// `because` names the failed (or skipped) ancestor, or the failure that stopped a fail-fast run.
        case skip(String, because: SkipReason)

        public var description: String {
            switch self {
            case .start(let id): return "start \(id)"
            case .skip(let id, let because): return "skip \(id) because \(because)"
            }
        }
    }

    private enum NodeState: Sendable { case waiting, ready, running, succeeded, failed, skipped }

    private struct ReadyKey: Comparable, Sendable {
        var height: Int
        var node: Int
        static func < (lhs: ReadyKey, rhs: ReadyKey) -> Bool {
            lhs.height != rhs.height ? lhs.height > rhs.height : lhs.node < rhs.node
        }
    }

    /// Every node that matters: the selected ones, and unselected nodes on a path between two
    /// selected ones (passed through at once, so order across them is kept, as dbt keeps transitive
    /// edges when it takes a subset of the graph).
    private let ids: [String]
    private let indexOf: [String: Int]
    private let isSelected: [Bool]
    private let selectedCount: Int
    private let children: [[Int]]
    private let height: [Int]
    /// Position in a topological order, to report skips parents first.
    private let rank: [Int]
    /// Selected nodes that can never start because their dependencies form a cycle (through `extraDependencies`).
    private let cyclic: [Int]
    private let failFast: Bool
    private let maxRunning: Int?

    private var remaining: [Int]
    private var state: [NodeState]
    private var ready = MinHeap<ReadyKey>()
    private var running = 0
    private var finishedCount = 0
    private var started = false
    private var halted = false

    /// - Parameters:
    ///   - selected: the unique ids to run. A dependency outside it counts as already done, except that
    ///     order between two selected nodes is kept across unselected nodes between them (as in dbt).
    ///   - failFast: after the first failure, skip everything not yet started.
    ///   - extraDependencies: node to further nodes it must wait for, on top of the graph's edges.
    ///   - maxRunning: at most this many nodes started and not yet finished (nil: no limit), so the
    ///     runner can execute every `.start` at once and still get the critical-path order.
    public init(
        graph: DependencyGraph, selected: Set<String>, failFast: Bool = false,
        extraDependencies: [String: Set<String>] = [:], maxRunning: Int? = nil
    ) {
        // The whole graph plus selected ids it does not know, with the extra edges added.
        let unknown = selected.filter { !graph.contains($0) }.sorted()
        let total = graph.count + unknown.count
        func globalIndex(_ id: String) -> Int? {
            if let index = graph.indexOf[id] { return index }
            return unknown.firstIndex(of: id).map { graph.count + $0 }
        }
        var parents = graph.parentIndices + [[Int]](repeating: [], count: unknown.count)
        for (child, extra) in extraDependencies {
            guard let c = globalIndex(child) else { continue }
            for parent in extra { if let p = globalIndex(parent), p != c { parents[c].append(p) } }
        }
        var childrenAll = [[Int]](repeating: [], count: total)
        for child in 0..<total {
            if parents[child].count > 1 { parents[child] = Array(Set(parents[child])) }
            for parent in parents[child] { childrenAll[parent].append(child) }
        }

        // Relevant nodes: selected, or both below and above some selected node.
        var selectedFlags = [Bool](repeating: false, count: total)
        var starts: [Int] = []
        for id in selected { if let index = globalIndex(id) { selectedFlags[index] = true; starts.append(index) } }
        let above = Set(graph.reach(from: starts, along: parents, depth: nil))
        var relevant = selectedFlags
        for node in graph.reach(from: starts, along: childrenAll, depth: nil) where above.contains(node) {
            relevant[node] = true
        }

        let globalOf = (0..<total).filter { relevant[$0] }.sorted { name($0) < name($1) }
        func name(_ index: Int) -> String { index < graph.count ? graph.ids[index] : unknown[index - graph.count] }
        let ids = globalOf.map(name)
        var localOf = [Int](repeating: -1, count: total)
        for (local, global) in globalOf.enumerated() { localOf[global] = local }
        var indexOf: [String: Int] = [:]
        indexOf.reserveCapacity(ids.count)
        for (index, id) in ids.enumerated() { indexOf[id] = index }

        var children = [[Int]](repeating: [], count: ids.count)
        var remaining = [Int](repeating: 0, count: ids.count)
        for (local, global) in globalOf.enumerated() {
            for parent in parents[global] where localOf[parent] >= 0 {
                remaining[local] += 1
                children[localOf[parent]].append(local)
            }
        }
        for node in children.indices { children[node].sort() }

        // Topological order (Kahn), then critical-path heights in reverse order.
        var pending = remaining
        var order: [Int] = []
        order.reserveCapacity(ids.count)
        for node in ids.indices where pending[node] == 0 { order.append(node) }
        var head = 0
        while head < order.count {
            let node = order[head]
            head += 1
            for child in children[node] {
                pending[child] -= 1
                if pending[child] == 0 { order.append(child) }
            }
        }
        var rank = [Int](repeating: Int.max, count: ids.count)
        for (position, node) in order.enumerated() { rank[node] = position }
        let isSelected = globalOf.map { selectedFlags[$0] }
        var height = [Int](repeating: 0, count: ids.count)
        for node in order.reversed() {
            for child in children[node] {
                height[node] = max(height[node], height[child] + (isSelected[child] ? 1 : 0))
            }
        }

        self.ids = ids
        self.indexOf = indexOf
        self.isSelected = isSelected
        self.selectedCount = isSelected.count { $0 }
        self.children = children
        self.height = height
        self.rank = rank
        self.cyclic = ids.indices.filter { rank[$0] == Int.max && isSelected[$0] }
        self.failFast = failFast
        self.maxRunning = maxRunning.map { max(1, $0) }
        self.remaining = remaining
        self.state = [NodeState](repeating: .waiting, count: ids.count)
    }

    /// Actions available at the beginning (empty when called again).
    public mutating func initialActions() -> [Action] {
        guard !started else { return [] }
        started = true
        var actions: [Action] = []
        for node in cyclic where state[node] == .waiting {
            state[node] = .skipped
            finishedCount += 1
            actions.append(.skip(ids[node], because: .dependencyCycle))
        }
        for node in ids.indices where remaining[node] == 0 && state[node] == .waiting {
            if isSelected[node] { makeReady(node) } else { succeed(node) }
        }
        return actions + startReady()
    }

    /// Reports that a started node finished; returns the new actions: children that became ready, or
    /// skips of all descendants of a failure (each naming the failed node). With `failFast`, a failure
    /// skips everything not yet started. Reports for nodes that are not running are ignored.
    public mutating func finished(_ id: String, _ status: Status) -> [Action] {
        guard let node = indexOf[id], state[node] == .running else { return [] }
        running -= 1
        finishedCount += 1
        var actions: [Action] = []
        switch status {
        case .success:
            succeed(node)
        case .failure, .skipped:
            state[node] = status == .failure ? .failed : .skipped
            actions += skipDescendants(of: node)
            if failFast && status == .failure {
                halted = true
                actions += skipEverythingNotStarted(because: node)
            }
        }
        return actions + startReady()
    }

    /// Whether every selected node has finished or been skipped.
    public var isComplete: Bool { finishedCount == selectedCount }

    /// Nodes started and not yet reported.
    public var runningCount: Int { running }

    /// Whether a failure stopped a fail-fast run.
    public var isHalted: Bool { halted }

    // MARK: - Internals

    /// Marks a node done and releases its children; unselected nodes in between pass through at once.
    private mutating func succeed(_ node: Int) {
        state[node] = .succeeded
        var done = [node]
        while let current = done.popLast() {
            for child in children[current] {
                remaining[child] -= 1
                guard remaining[child] == 0, state[child] == .waiting else { continue }
                if isSelected[child] {
                    makeReady(child)
                } else {
                    state[child] = .succeeded
                    done.append(child)
                }
            }
        }
    }

    private mutating func makeReady(_ node: Int) {
        state[node] = .ready
        ready.push(ReadyKey(height: height[node], node: node))
    }

    private mutating func startReady() -> [Action] {
        guard !halted else { return [] }
        var actions: [Action] = []
        while maxRunning.map({ running < $0 }) ?? true, let key = ready.pop() {
            guard state[key.node] == .ready else { continue }
            state[key.node] = .running
            running += 1
            actions.append(.start(ids[key.node]))
        }
        return actions
    }

    /// Skips every waiting or ready descendant (breadth-first; already skipped subtrees are not revisited).
    private mutating func skipDescendants(of failed: Int) -> [Action] {
        var skipped: [Int] = []
        var queue = [failed]
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for child in children[node] where state[child] == .waiting || state[child] == .ready {
                state[child] = .skipped
                queue.append(child)
                if isSelected[child] {
                    finishedCount += 1
                    skipped.append(child)
                }
            }
        }
        return skipped.sorted { (rank[$0], $0) < (rank[$1], $1) }.map { .skip(ids[$0], because: .failed(ids[failed])) }
    }

    private mutating func skipEverythingNotStarted(because failed: Int) -> [Action] {
        var skipped: [Int] = []
        for node in ids.indices where isSelected[node] && (state[node] == .waiting || state[node] == .ready) {
            state[node] = .skipped
            finishedCount += 1
            skipped.append(node)
        }
        return skipped.sorted { (rank[$0], $0) < (rank[$1], $1) }.map { .skip(ids[$0], because: .failed(ids[failed])) }
    }
}
