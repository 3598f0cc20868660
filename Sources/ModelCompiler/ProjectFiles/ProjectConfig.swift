/// `sqlt_project.yml` (or, when only it exists, `dbt_project.yml`): dbt's keys, read the dbt way.
public struct ProjectConfig: Sendable {
    /// The file it was read from, relative to the project root.
    public var file: String
    public var name: String
    public var version: String?
    public var profile: String?
    public var modelPaths: [String]
    public var seedPaths: [String]
    public var testPaths: [String]
    public var macroPaths: [String]
    public var analysisPaths: [String]
    public var docsPaths: [String]?
    public var snapshotPaths: [String]
    public var targetPath: String
    public var vars: [String: JSONValue]
    public var onRunStart: [String]
    public var onRunEnd: [String]
    /// The `models:`, `seeds:`, `data_tests:` (or `tests:`), `sources:`, `unit_tests:` trees.
    public var configTrees: [ResourceType: YAMLNode]
    /// Warnings found while reading (unknown keys).
    public var warnings: [Diagnostic]
    /// `dispatch:`: for a macro namespace, the packages `adapter.dispatch` searches in order.
    public var dispatchSearchOrder: [String: [String]] = [:]
    /// `clean-targets` (dbt's default: the target path) and where the file declares it.
    public var cleanTargets: [String] = []
    public var cleanTargetsLocation: SourceLocation? = nil
    /// `flags: {source_freshness_run_project_hooks: false}` turns off what dbt 1.11 does by
    /// default: `source freshness` runs the `on-run-start`/`on-run-end` hooks too.
    public var sourceFreshnessRunsProjectHooks = true

    public static let fileNames = ["sqlt_project.yml", "dbt_project.yml"]

    static let knownKeys: Set<String> = [
        "name", "version", "profile", "model-paths", "seed-paths", "test-paths", "macro-paths", "analysis-paths",
        "docs-paths", "snapshot-paths", "asset-paths", "target-path", "log-path", "packages-install-path",
        "clean-targets", "vars", "on-run-start", "on-run-end", "models", "seeds", "data_tests", "tests",
        "snapshots", "sources", "unit_tests", "require-dbt-version", "config-version", "quoting", "flags",
        "dispatch", "query-comment", "restrict-access", "exposures", "metrics", "semantic-models",
        "saved-queries", "analyses",
    ]

    /// Which project file a folder has, if any.
    public static func locate(in fs: some ProjectFileSystem) -> String? {
        fileNames.first { fs.fileExists($0) }
    }

    /// Reads the project file of a folder.
    public static func load(from fs: some ProjectFileSystem) throws(DiagnosticsError) -> ProjectConfig {
        guard let file = locate(in: fs) else {
            throw DiagnosticsError([
                .error(
                    "project.missing", "no sqlt_project.yml or dbt_project.yml in the project folder",
                    hint: "run sqlt from the project folder or pass --project-dir")
            ])
        }
        let text: String
        do { text = try fs.read(file) } catch {
            throw DiagnosticsError([.error("project.unreadable", "cannot read \(file)")])
        }
        return try parse(text, file: file)
    }

    /// Parses project-file text.
    public static func parse(_ text: String, file: String) throws(DiagnosticsError) -> ProjectConfig {
        let root = try YAMLNode.parse(text, file: file)
        guard let entries = root.entries else {
            throw DiagnosticsError([.error("project.invalid", "the project file must be a mapping", at: root.location)])
        }
        var errors: [Diagnostic] = []
        var warnings: [Diagnostic] = []
        for entry in entries where !knownKeys.contains(entry.key) {
            let suggestion = closestMatch(to: entry.key, in: knownKeys).map { "did you mean '\($0)'?" }
            warnings.append(
                .warning(
                    "project.unknown-key", "unknown key '\(entry.key)' in \(file)", at: entry.keyLocation,
                    length: entry.key.count, hint: suggestion))
        }
        guard let name = root["name"]?.string, !name.isEmpty else {
            throw DiagnosticsError([.error("project.no-name", "the project file has no 'name'", at: root.location)])
        }
        func paths(_ key: String, _ defaults: [String]) -> [String] {
            guard let node = root[key] else { return defaults }
            if let single = node.string { return [single] }
            if let items = node.items { return items.compactMap(\.string) }
            errors.append(.error("project.invalid-paths", "'\(key)' must be a list of folders", at: node.location))
            return defaults
        }
        func hooks(_ key: String) -> [String] {
            guard let node = root[key] else { return [] }
            if let single = node.string { return [single] }
            return node.items?.compactMap(\.string) ?? []
        }
        var vars: [String: JSONValue] = [:]
        if let object = root["vars"]?.json.objectValue {
            for (key, value) in object {
                if key == name, let scoped = value.objectValue {
                    for (k, v) in scoped { vars[k] = v }
                } else if vars[key] == nil {
                    vars[key] = value
                }
            }
        }
        // a config tree that is not a mapping (`models: [1, 2]`) would silently configure nothing
        for key in ["models", "seeds", "data_tests", "tests", "sources", "snapshots", "unit_tests", "vars"] {
            if let node = root[key], node.entries == nil, !node.isNull {
                errors.append(
                    .error(
                        "project.invalid-config", "'\(key)' must be a mapping of folders and settings",
                        at: node.location))
            }
        }
        if let node = root["target-path"] {
            if let path = node.string, path.hasPrefix("/") || path.split(separator: "/").contains("..") {
                errors.append(
                    .error(
                        "project.invalid-paths", "'target-path' must be a folder inside the project, not '\(path)'",
                        at: node.location,
                        hint: "write a relative path such as 'target'"))
            } else if node.string == nil {
                errors.append(.error("project.invalid-paths", "'target-path' must be a folder name", at: node.location))
            }
        }
        var trees: [ResourceType: YAMLNode] = [:]
        trees[.model] = root["models"]
        trees[.seed] = root["seeds"]
        trees[.test] = root["data_tests"] ?? root["tests"]
        trees[.source] = root["sources"]
        trees[.snapshot] = root["snapshots"]
        trees[.unitTest] = root["unit_tests"]
        let dispatch = dispatchSetting(root["dispatch"], &errors)
        var config = ProjectConfig(
            file: file, name: name, version: root["version"]?.string, profile: root["profile"]?.string,
            modelPaths: paths("model-paths", ["models"]), seedPaths: paths("seed-paths", ["seeds"]),
            testPaths: paths("test-paths", ["tests"]), macroPaths: paths("macro-paths", ["macros"]),
            analysisPaths: paths("analysis-paths", ["analyses"]),
            docsPaths: root["docs-paths"] == nil ? nil : paths("docs-paths", []),
            snapshotPaths: paths("snapshot-paths", ["snapshots"]),
            targetPath: root["target-path"]?.string ?? "target", vars: vars, onRunStart: hooks("on-run-start"),
            onRunEnd: hooks("on-run-end"), configTrees: trees, warnings: warnings)
        config.dispatchSearchOrder = dispatch
        if let flag = root["flags"]?["source_freshness_run_project_hooks"] {
            if case .bool(let value) = flag.json {
                config.sourceFreshnessRunsProjectHooks = value
            } else {
                errors.append(
                    .error(
                        "project.invalid", "'flags.source_freshness_run_project_hooks' must be true or false",
                        at: flag.location))
            }
        }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        var withClean = config
        withClean.cleanTargets = paths("clean-targets", [config.targetPath])
        withClean.cleanTargetsLocation = root["clean-targets"]?.location
        return withClean
    }
}
