/// A node selection method (`tag:`, `path:`, `config.<key>:`, ...), matching as dbt's methods do.
public enum SelectorMethod: String, Sendable, Hashable, CaseIterable {
    case fqn, tag, group, access, source, path, file, package, config, state, version
    case exposure, metric, result
    case testName = "test_name"
    case testType = "test_type"
    case resourceType = "resource_type"
    case sourceStatus = "source_status"
    case semanticModel = "semantic_model"
    case savedQuery = "saved_query"
    case unitTest = "unit_test"
}

extension SelectorMethod {
    /// The graph indices this method selects for `value`.
    func select(value: String, arguments: [String], in context: SelectionContext) throws(DiagnosticsError) -> [Int] {
        let pattern = GlobPattern(value)
        switch self {
        case .fqn:
            let matcher = FQNMatcher(value)
            return context.nodes { _, node in matcher.matches(node.fqn) }
        case .unitTest:
            let matcher = FQNMatcher(value)
            return context.nodes { _, node in node.resourceType == .unitTest && matcher.matches(node.fqn) }
        case .tag:
            return context.all { target in target.tags.contains { pattern.matches($0) } }
        case .group:
            return context.nodes { _, node in node.config["group"]?.stringValue == value }
        case .access:
            return context.nodes { _, node in
                node.resourceType == .model && (node.config["access"]?.stringValue ?? "protected") == value
            }
        case .source:
            return selectSources(value, in: context)
        case .path:
            return PathMatcher(value).select(in: context)
        case .file:
            return context.all { target in
                pattern.matches(target.originalFilePath.split(separator: "/").last.map(String.init) ?? "")
            }
        case .package:
            let wanted = value == "this" ? GlobPattern(context.manifest.metadata.projectName) : pattern
            return context.all { target in wanted.matches(target.packageName) }
        case .config:
            return context.all { target in Self.configMatches(target, path: arguments, value: value) }
        case .testName:
            return context.nodes { _, node in
                if node.resourceType == .test, let metadata = node.testMetadata {
                    return pattern.matches(metadata.name)
                }
                return node.resourceType == .unitTest && pattern.matches(node.name)
            }
        case .testType:
            return context.nodes { _, node in
                let generic = node.resourceType == .test && node.testMetadata != nil
                let singular = node.resourceType == .test && node.testMetadata == nil
                switch value {
                case "generic", "schema": return generic
                case "singular": return singular
                case "data": return generic || singular
                default: return node.resourceType == .unitTest
                }
            }
        case .resourceType:
            return context.all { target in target.resourceType.rawValue == value }
        case .state:
            guard let previous = context.previous else {
                throw SelectionCriterion.error(
                    "selector.state", "the 'state' method needs the manifest of an earlier run to compare against",
                    hint: "pass --state with the folder of that manifest.json"
                )
            }
            let comparison = StateComparison(current: context.manifest, previous: previous)
            return context.all { target in comparison.matches(target, selector: value) }
        case .version:
            return value == "none" ? context.nodes { _, node in node.resourceType == .model } : []
        case .sourceStatus:
            guard let freshness = context.freshness else {
                throw SelectionCriterion.error(
                    "selector.source_status",
                    "the 'source_status' method needs sources.json of this run and of an earlier one",
                    hint: "run sqlt source freshness, and pass --state with the folder of the earlier sources.json"
                )
            }
            return context.sources { _, source in freshness.isFresher(source.uniqueId) }
        case .exposure, .metric, .semanticModel, .savedQuery, .result:
            // sqlt projects have no exposures, metrics, semantic models or saved queries.
            return []
        }
    }

    private func selectSources(_ value: String, in context: SelectionContext) -> [Int] {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let (package, source, table): (String, String, String) =
            switch parts.count {
            case 1: ("*", parts[0], "*")
            case 2: ("*", parts[0], parts[1])
            default: (parts[0], parts[1], parts[2])
            }
        let (packagePattern, sourcePattern, tablePattern) = (
            GlobPattern(package), GlobPattern(source), GlobPattern(table)
        )
        return context.sources { _, definition in
            packagePattern.matches(definition.packageName) && sourcePattern.matches(definition.sourceName)
                && tablePattern.matches(definition.name)
        }
    }

    /// dbt's config method: descend into the config by the argument keys, then compare as text;
    /// in a list, any element may match; `true`/`false` match booleans; `severity` ignores case.
    static func configMatches(_ target: SelectionTarget, path: [String], value: String) -> Bool {
        var current: JSONValue? = .object(target.config)
        for key in path { current = current?[key] }
        if current == nil, path.count == 1 {
            switch path[0] {
            case "materialized" where target.resourceType == .model: current = "view"
            case "enabled": current = true
            default: break
            }
        }
        guard let current else { return false }
        let ignoreCase = path == ["severity"]
        func same(_ item: JSONValue) -> Bool {
            switch item {
            case .string(let s): return ignoreCase ? s.lowercased() == value.lowercased() : s == value
            case .bool(let b): return value.lowercased() == (b ? "true" : "false")
            case .int(let i): return String(i) == value
            case .double(let d): return String(d) == value
            default: return false
            }
        }
        if case .array(let items) = current { return items.contains(where: same) }
        return same(current)
    }
}
