/// dbt's selection syntax: `--select` / `--exclude` arguments resolved to unique ids.
///
/// Each argument may hold several space-separated elements (a union); an element is one or more
/// comma-separated criteria (an intersection); `--exclude` is removed afterwards. Each criterion is a
/// method and value with graph operators (`+x`, `x+1`, `@x`); then tests on the selected nodes are
/// added by indirect selection (`eager` by default: a test of any selected node). No `--select`
/// selects everything, as in dbt.
public struct NodeSelector: Sendable {
    /// How tests attached to selected nodes are selected (dbt's `--indirect-selection`).
    public enum IndirectSelection: String, Sendable, CaseIterable {
        /// A test is selected when any node it depends on is selected.
        case eager
        /// Only when every node it depends on is selected.
        case cautious
        /// When every node it depends on is selected or an ancestor of a selected node.
        case buildable
        /// No test is selected indirectly.
        case empty
    }

    /// The resolved unique ids and the warnings (criteria that matched nothing).
    public struct Selection: Sendable {
        /// The selected unique ids.
        public let nodes: Set<String>
        /// One `selector.no-match` warning per element of `--select` or `--exclude` that matched nothing.
        public let warnings: [Diagnostic]
    }

    /// One element of a union: comma-separated criteria, all of which a node must meet.
    struct Intersection: Sendable {
        let raw: String
        let criteria: [SelectionCriterion]
    }

    let include: [Intersection]
    let exclude: [Intersection]
    /// How tests of selected nodes are added (exclusion is always eager, as in dbt).
    public let indirectSelection: IndirectSelection

    /// Parses `--select` / `--exclude` arguments (each CLI argument is one element; spaces inside an
    /// element also separate unions). All syntax errors are thrown together.
    public init(
        select: [String], exclude: [String], indirectSelection: IndirectSelection = .eager
    ) throws(DiagnosticsError) {
        var diagnostics: [Diagnostic] = []
        func parse(_ arguments: [String]) -> [Intersection] {
            var result: [Intersection] = []
            for element in arguments.flatMap({ $0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) }) {
                var criteria: [SelectionCriterion] = []
                for part in element.split(separator: ",", omittingEmptySubsequences: true) {
                    do throws(DiagnosticsError) {
                        criteria.append(try SelectionCriterion(parsing: String(part)))
                    } catch {
                        diagnostics += error.diagnostics
                    }
                }
                if !criteria.isEmpty { result.append(Intersection(raw: String(element), criteria: criteria)) }
            }
            return result
        }
        self.include = parse(select)
        self.exclude = parse(exclude)
        self.indirectSelection = indirectSelection
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
    }

    /// Resolves to unique ids. `state` is an earlier manifest for `state:` (nil: using `state:` is an
    /// error saying to pass --state). `resourceTypes` limits the result (empty: every type).
    public func resolve(
        in manifest: Manifest, graph: DependencyGraph, state: Manifest?, resourceTypes: Set<ResourceType>
    ) throws(DiagnosticsError) -> Set<String> {
        try select(in: manifest, graph: graph, state: state, resourceTypes: resourceTypes).nodes
    }

    /// Resolves to unique ids, with a warning for each element of `--select` or `--exclude` that matched nothing.
    /// `freshness` holds the sources' newest load times for `source_status:fresher`.
    public func select(
        in manifest: Manifest, graph: DependencyGraph, state: Manifest?, resourceTypes: Set<ResourceType>,
        freshness: SourceFreshnessStates? = nil
    ) throws(DiagnosticsError) -> Selection {
        var context = SelectionContext(manifest: manifest, graph: graph, previous: state)
        context.freshness = freshness
        let resolver = Resolver(context: context)
        var warnings: [Diagnostic] = []
        let included: Set<Int>
        if include.isEmpty {
            included = Set(graph.ids.indices)
        } else {
            included = try resolver.union(include, mode: indirectSelection, warnings: &warnings)
        }
        let excluded = try resolver.union(exclude, mode: .eager, warnings: &warnings)
        let nodes = included.subtracting(excluded).compactMap { index -> String? in
            guard let target = resolver.context.targets[index] else { return nil }
            guard resourceTypes.isEmpty || resourceTypes.contains(target.resourceType) else { return nil }
            return graph.ids[index]
        }
        return Selection(nodes: Set(nodes), warnings: warnings)
    }
}

/// Evaluates parsed criteria against one manifest, on graph indices.
private struct Resolver {
    let context: SelectionContext
    var graph: DependencyGraph { context.graph }

    /// Whether a node is a test that indirect selection may pick up.
    func isTest(_ index: Int) -> Bool {
        guard case .node(let node)? = context.targets[index] else { return false }
        return node.resourceType == .test || node.resourceType == .unitTest
    }

    func union(
        _ elements: [NodeSelector.Intersection], mode: NodeSelector.IndirectSelection, warnings: inout [Diagnostic]
    ) throws(DiagnosticsError) -> Set<Int> {
        var direct = Set<Int>()
        var indirect = Set<Int>()
        var diagnostics: [Diagnostic] = []
        for element in elements {
            do throws(DiagnosticsError) {
                let (elementDirect, elementIndirect) = try intersection(element, mode: mode)
                if elementDirect.isEmpty {
                    warnings.append(
                        .warning(
                            "selector.no-match",
                            "the selection criterion '\(element.raw)' does not match any enabled nodes",
                            hint: suggestion(for: element)
                        ))
                }
                direct.formUnion(elementDirect)
                indirect.formUnion(elementIndirect)
                indirect.formUnion(elementDirect)
            } catch {
                diagnostics += error.diagnostics
            }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return incorporate(direct: direct, indirect: indirect, mode: mode)
    }

    private func intersection(
        _ element: NodeSelector.Intersection, mode: NodeSelector.IndirectSelection
    ) throws(DiagnosticsError) -> (Set<Int>, Set<Int>) {
        var direct: Set<Int>?
        var indirect: Set<Int>?
        for criterion in element.criteria {
            let (criterionDirect, criterionIndirect) = try select(criterion, mode: mode)
            let all = criterionDirect.union(criterionIndirect)
            direct = direct.map { $0.intersection(criterionDirect) } ?? criterionDirect
            indirect = indirect.map { $0.intersection(all) } ?? all
        }
        let result = incorporate(direct: direct ?? [], indirect: indirect ?? [], mode: mode)
        return (result, (indirect ?? []).subtracting(result))
    }

    /// One criterion: the method's matches, the graph operators, then indirect selection of tests.
    private func select(
        _ criterion: SelectionCriterion, mode: NodeSelector.IndirectSelection
    ) throws(DiagnosticsError) -> (Set<Int>, Set<Int>) {
        let method = criterion.method ?? defaultMethod(for: criterion.value)
        let collected = try method.select(value: criterion.value, arguments: criterion.arguments, in: context)
        var selected = Set(collected)
        if criterion.childrensParents {
            let below = Set(graph.reach(from: collected, along: graph.childIndices, depth: nil)).union(collected)
            selected.formUnion(below)
            selected.formUnion(graph.reach(from: Array(below), along: graph.parentIndices, depth: nil))
        }
        if criterion.parents {
            selected.formUnion(graph.reach(from: collected, along: graph.parentIndices, depth: criterion.parentsDepth))
        }
        if criterion.children {
            selected.formUnion(graph.reach(from: collected, along: graph.childIndices, depth: criterion.childrenDepth))
        }
        return expand(selected, mode: mode)
    }

    /// For a lone node name that matched nothing, the closest node name.
    private func suggestion(for element: NodeSelector.Intersection) -> String? {
        guard element.criteria.count == 1, let criterion = element.criteria.first,
            criterion.method == nil || criterion.method == .fqn,
            !criterion.value.contains("."), !GlobPattern.hasWildcard(criterion.value)
        else { return nil }
        let names = context.targets.compactMap { target -> String? in
            if case .node(let node)? = target { return node.name }
            return nil
        }
        return closestMatch(to: criterion.value, in: names).map { "did you mean '\($0)'?" }
    }

    /// dbt's default method: a path when it looks like one, a file name for `.sql`/`.py`/`.csv`, else fqn.
    private func defaultMethod(for value: String) -> SelectorMethod {
        if context.isProbablyPath(value) { return .path }
        let lowered = value.lowercased()
        if lowered.hasSuffix(".sql") || lowered.hasSuffix(".py") || lowered.hasSuffix(".csv")
            || lowered.hasSuffix(".xlsx")
        {
            return .file
        }
        return .fqn
    }

    /// Tests that are children of selected nodes: direct or indirect according to `mode`.
    private func expand(_ selected: Set<Int>, mode: NodeSelector.IndirectSelection) -> (Set<Int>, Set<Int>) {
        if mode == .empty { return (selected, []) }
        var direct = selected
        var indirect = Set<Int>()
        let buildable = mode == .buildable ? withAncestors(selected) : []
        for node in selected {
            for child in graph.childIndices[node] where !selected.contains(child) && isTest(child) {
                let parents = graph.parentIndices[child]
                let take: Bool
                switch mode {
                case .eager: take = true
                case .cautious: take = parents.allSatisfy(selected.contains)
                case .buildable: take = parents.allSatisfy(buildable.contains)
                case .empty: take = false
                }
                if take { direct.insert(child) } else { indirect.insert(child) }
            }
        }
        return (direct, indirect.subtracting(direct))
    }

    /// Tests held back as indirect become selected once all their parents are (cautious), or are
    /// selected or ancestors of selected nodes (buildable).
    private func incorporate(direct: Set<Int>, indirect: Set<Int>, mode: NodeSelector.IndirectSelection) -> Set<Int> {
        guard mode == .cautious || mode == .buildable, indirect != direct else { return direct }
        let allowed = mode == .buildable ? withAncestors(direct) : direct
        var result = direct
        for test in indirect where !direct.contains(test) && isTest(test) {
            if graph.parentIndices[test].allSatisfy(allowed.contains) { result.insert(test) }
        }
        return result
    }

    private func withAncestors(_ nodes: Set<Int>) -> Set<Int> {
        nodes.union(graph.reach(from: Array(nodes), along: graph.parentIndices, depth: nil))
    }
}
