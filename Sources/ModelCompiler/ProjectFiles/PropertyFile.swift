/// One property file (`version: 2` YAML under model or seed paths): its models, seeds, sources and
/// unit tests as declared, with locations for diagnostics.
public struct PropertyFile: Sendable {
    public var file: String
    public var models: [NodePatch] = []
    public var seeds: [NodePatch] = []
    /// `snapshots:` entries: with `relation` they declare a snapshot (dbt 1.9+), without it they
    /// describe a `{% snapshot %}` block of the snapshot paths.
    public var snapshots: [NodePatch] = []
    public var sources: [SourceDeclaration] = []
    public var unitTests: [UnitTestDeclaration] = []
    public var warnings: [Diagnostic] = []
    public var errors: [Diagnostic] = []
}

/// Properties of a model or seed declared in YAML.
public struct NodePatch: Sendable {
    public var name: String
    public var location: SourceLocation
    public var description: String
    public var config: NodeConfig
    public var meta: [String: JSONValue]
    public var tags: [String]
    public var columns: [ColumnDeclaration]
    public var tests: [TestDeclaration]
    /// `versions:` of a versioned model.
    public var versions: [ModelVersionDeclaration] = []
    /// `latest_version:` as written.
    public var latestVersion: JSONValue? = nil
    /// Snapshots declared in YAML: `relation: ref('x')` or `source('s', 't')`, as written.
    public var relation: String? = nil
}

/// A column declared in YAML, with its tests.
public struct ColumnDeclaration: Sendable {
    public var info: ColumnInfo
    public var location: SourceLocation
    public var tests: [TestDeclaration]
}

/// One entry of `data_tests:` / `tests:`.
public struct TestDeclaration: Sendable {
    /// As written, possibly namespaced: `unique`, `dbt_utils.accepted_range`.
    public var testName: String
    public var arguments: [String: JSONValue]
    public var config: NodeConfig
    /// `name:` given by the user, replacing the generated test name.
    public var customName: String?
    public var location: SourceLocation
}

/// A `sources:` entry.
public struct SourceDeclaration: Sendable {
    public var name: String
    public var location: SourceLocation
    public var schema: String?
    public var database: String?
    public var description: String
    public var meta: [String: JSONValue]
    public var tags: [String]
    public var config: NodeConfig
    public var loadedAtField: String?
    public var freshness: JSONValue?
    public var tables: [SourceTableDeclaration]
}

/// A table of a source.
public struct SourceTableDeclaration: Sendable {
    public var name: String
    public var location: SourceLocation
    public var identifier: String?
    public var description: String
    public var meta: [String: JSONValue]
    public var tags: [String]
    public var config: NodeConfig
    public var loadedAtField: String?
    public var freshness: JSONValue?
    public var columns: [ColumnDeclaration]
    public var tests: [TestDeclaration]
}

/// A dbt 1.8 `unit_tests:` entry.
public struct UnitTestDeclaration: Sendable {
    public var name: String
    public var model: String
    public var location: SourceLocation
    public var description: String
    public var given: [UnitTestInput]
    public var expect: UnitTestRows
    public var overrides: JSONValue?
    public var config: NodeConfig
}

/// Rows given to or expected from a unit test: a list of dicts, or CSV text.
public struct UnitTestRows: Sendable, Codable, Hashable {
    public var format: String
    public var rows: JSONValue
    public var fixture: String?
}

/// One `given:` input: `input: ref('x')` or `source('s','t')`, with rows.
public struct UnitTestInput: Sendable, Codable, Hashable {
    public var input: String
    public var rows: UnitTestRows
}

extension PropertyFile {
    static let topKeys: Set<String> = [
        "version", "models", "seeds", "sources", "unit_tests", "macros", "exposures", "metrics", "analyses",
        "snapshots", "semantic_models", "saved_queries", "groups", "data_tests",
    ]
    static let nodeKeys: Set<String> = [
        "name", "description", "config", "meta", "tags", "columns", "data_tests", "tests", "docs", "access",
        "group", "latest_version", "versions", "constraints", "deprecation_date", "time_spine",
    ]
    static let columnKeys: Set<String> = [
        "name", "description", "meta", "tags", "data_type", "data_tests", "tests", "quote", "constraints",
        "policy_tags", "granularity", "config",
    ]
    static let sourceKeys: Set<String> = [
        "name", "description", "schema", "database", "meta", "tags", "config", "loaded_at_field", "freshness",
        "tables", "loader", "quoting", "overrides",
    ]
    static let tableKeys: Set<String> = [
        "name", "identifier", "description", "meta", "tags", "config", "loaded_at_field", "freshness", "columns",
        "data_tests", "tests", "quoting", "external", "loader",
    ]
    static let testConfigKeys: Set<String> = [
        "severity", "error_if", "warn_if", "where", "limit", "store_failures", "store_failures_as", "tags",
        "enabled", "fail_calc", "meta", "alias", "schema", "database",
    ]

    /// Parses a property file's text. Errors and warnings are collected in the result.
    public static func parse(_ text: String, file: String) -> PropertyFile {
        var result = PropertyFile(file: file)
        let root: YAMLNode
        do { root = try YAMLNode.parse(text, file: file) } catch {
            result.errors = error.diagnostics
            return result
        }
        guard let entries = root.entries else { return result }
        var parser = Parser(file: file)
        for entry in entries where !topKeys.contains(entry.key) {
            parser.warn(unknown: entry.key, at: entry.keyLocation, allowed: topKeys, what: "property file")
        }
        if let version = root["version"], version.json != .int(2) {
            parser.errors.append(
                .error(
                    "properties.version", "'version' must be 2, not '\(version.string ?? "\(version.json)")'",
                    at: version.location))
        }
        for key in ["models", "seeds", "sources", "unit_tests"] {
            if let node = root[key], node.items == nil, !node.isNull {
                parser.errors.append(.error("properties.invalid", "'\(key)' must be a list", at: node.location))
            }
        }
        for item in root["models"]?.items ?? [] { if let p = parser.patch(item) { result.models.append(p) } }
        for item in root["seeds"]?.items ?? [] { if let p = parser.patch(item) { result.seeds.append(p) } }
        for item in root["snapshots"]?.items ?? [] {
            if var p = parser.patch(item, extraKeys: ["relation"]) {
                p.relation = item["relation"]?.string
                result.snapshots.append(p)
            }
        }
        for item in root["sources"]?.items ?? [] { if let s = parser.source(item) { result.sources.append(s) } }
        for item in root["unit_tests"]?.items ?? [] { if let u = parser.unitTest(item) { result.unitTests.append(u) } }
        result.warnings = parser.warnings
        result.errors = parser.errors
        return result
    }

    struct Parser {
        let file: String
        var warnings: [Diagnostic] = []
        var errors: [Diagnostic] = []

        mutating func warn(unknown key: String, at location: SourceLocation, allowed: Set<String>, what: String) {
            let hint = closestMatch(to: key, in: allowed).map { "did you mean '\($0)'?" }
            warnings.append(
                .warning(
                    "properties.unknown-key", "unknown key '\(key)' in \(what)", at: location, length: key.count,
                    hint: hint))
        }

        mutating func checkKeys(_ node: YAMLNode, _ allowed: Set<String>, _ what: String) {
            for entry in node.entries ?? [] where !allowed.contains(entry.key) {
                warn(unknown: entry.key, at: entry.keyLocation, allowed: allowed, what: what)
            }
        }

        mutating func name(_ node: YAMLNode, _ what: String) -> String? {
            guard node.entries != nil else {
                errors.append(
                    .error("properties.invalid", "\(what) entry must be a mapping with a 'name'", at: node.location))
                return nil
            }
            guard let name = node["name"]?.string, !name.isEmpty else {
                errors.append(.error("properties.no-name", "\(what) entry has no 'name'", at: node.location))
                return nil
            }
            return name
        }

        func config(_ node: YAMLNode?) -> NodeConfig {
            var config: NodeConfig = [:]
            for (key, value) in node?.json.objectValue ?? [:] {
                ConfigTree.merge(key: key, value: value, into: &config)
            }
            return config
        }

        func tags(_ node: YAMLNode?) -> [String] { node?.json.stringList ?? [] }

        /// The items of a list; an error when the node is there but not a list (`columns: not-a-list`
        /// would otherwise drop every column and its tests without a word).
        mutating func list(_ node: YAMLNode?, _ what: String) -> [YAMLNode] {
            guard let node, !node.isNull else { return [] }
            guard let items = node.items else {
                errors.append(.error("properties.invalid", "'\(what)' must be a list", at: node.location))
                return []
            }
            return items
        }

        mutating func patch(_ node: YAMLNode, extraKeys: Set<String> = []) -> NodePatch? {
            guard let name = name(node, "model") else { return nil }
            checkKeys(node, PropertyFile.nodeKeys.union(extraKeys), "'\(name)'")
            var columns: [ColumnDeclaration] = []
            for (index, item) in list(node["columns"], "columns").enumerated() {
                if let column = column(item, index: index) { columns.append(column) }
            }
            var patch = NodePatch(
                name: name, location: node["name"]?.location ?? node.location,
                description: node["description"]?.string ?? "", config: config(node["config"]),
                meta: node["meta"]?.json.objectValue ?? [:], tags: tags(node["tags"]), columns: columns,
                tests: tests(node["data_tests"] ?? node["tests"]))
            if let list = node["versions"] {
                patch.versions = (list.items ?? []).compactMap { version($0, model: name) }
                if list.items == nil {
                    errors.append(
                        .error(
                            "properties.invalid-versions", "'versions' of '\(name)' must be a list", at: list.location))
                }
            }
            if let latest = node["latest_version"] {
                patch.latestVersion = latest.json
                if !patch.versions.contains(where: { $0.text == ModelVersionDeclaration.text(of: latest.json) }) {
                    errors.append(
                        .error(
                            "properties.invalid-latest-version",
                            "latest_version: \(ModelVersionDeclaration.text(of: latest.json)) is not one of model '\(name)' versions: \(patch.versions.map(\.text))",
                            at: latest.location))
                }
            }
            return patch
        }

        /// One entry of `versions:`.
        mutating func version(_ node: YAMLNode, model: String) -> ModelVersionDeclaration? {
            guard let v = node["v"] else {
                errors.append(
                    .error("properties.invalid-version", "a version of '\(model)' needs 'v'", at: node.location))
                return nil
            }
            var declaration = ModelVersionDeclaration(
                v: v.json, location: v.location, definedIn: node["defined_in"]?.string,
                description: node["description"]?.string,
                config: config(node["config"]), columns: [], includeAll: true, include: [], exclude: [])
            for (index, item) in (node["columns"]?.items ?? []).enumerated() {
                if item["include"] != nil || item["exclude"] != nil {
                    let include = item["include"]
                    declaration.includeAll = include == nil || ["*", "all"].contains(include?.string ?? "")
                    declaration.include = include?.json.stringList ?? []
                    declaration.exclude = item["exclude"]?.json.stringList ?? []
                } else if let column = column(item, index: index) {
                    declaration.columns.append(column)
                }
            }
            return declaration
        }

        mutating func column(_ node: YAMLNode, index: Int) -> ColumnDeclaration? {
            guard let name = name(node, "column") else { return nil }
            checkKeys(node, PropertyFile.columnKeys, "column '\(name)'")
            var meta = node["meta"]?.json.objectValue ?? [:]
            if let configMeta = node["config"]?["meta"]?.json.objectValue { meta.merge(configMeta) { $1 } }
            if let pii = meta["pii"]?.stringValue, !["direct", "indirect", "sensitive", "none"].contains(pii) {
                errors.append(
                    .error(
                        "properties.invalid-pii", "invalid pii class '\(pii)' for column '\(name)'",
                        at: node["meta"]?["pii"]?.location ?? node.location,
                        hint: "use direct, indirect, sensitive or none"))
            }
            let info = ColumnInfo(
                name: name, description: node["description"]?.string ?? "", meta: meta,
                dataType: node["data_type"]?.string, tags: tags(node["tags"]), quote: node["quote"]?.json.boolValue,
                index: index)
            return ColumnDeclaration(
                info: info, location: node.location, tests: tests(node["data_tests"] ?? node["tests"]))
        }

        mutating func tests(_ node: YAMLNode?) -> [TestDeclaration] {
            guard let node else { return [] }
            guard let items = node.items else {
                errors.append(.error("properties.invalid-tests", "tests must be a list", at: node.location))
                return []
            }
            var result: [TestDeclaration] = []
            for item in items {
                if let name = item.string {
                    result.append(
                        TestDeclaration(
                            testName: name, arguments: [:], config: [:], customName: nil, location: item.location))
                    continue
                }
                guard let entries = item.entries, let first = entries.first else {
                    errors.append(
                        .error("properties.invalid-test", "a test must be a name or a mapping", at: item.location))
                    continue
                }
                // Either `- test_name: {args}` or `- {name: custom, test_name: x, ...}`.
                var testName = first.key
                var body = first.value
                if entries.count > 1 || first.value.entries == nil && !first.value.isNull {
                    if let explicit = item["test_name"]?.string {
                        testName = explicit
                        body = item
                    } else if entries.count > 1 {
                        errors.append(
                            .error(
                                "properties.invalid-test", "a test mapping must have a single test name key",
                                at: item.location))
                        continue
                    }
                }
                var arguments: [String: JSONValue] = [:]
                var config: NodeConfig = [:]
                var customName: String?
                for entry in body.entries ?? [] {
                    switch entry.key {
                    case "config": config.merge(self.config(entry.value)) { $1 }
                    case "arguments": for (k, v) in entry.value.json.objectValue ?? [:] { arguments[k] = v }
                    case "name": customName = entry.value.string
                    case "test_name", "description": break
                    case let key where PropertyFile.testConfigKeys.contains(key):
                        ConfigTree.merge(key: key, value: entry.value.json, into: &config)
                    default: arguments[entry.key] = entry.value.json
                    }
                }
                result.append(
                    TestDeclaration(
                        testName: testName, arguments: arguments, config: config, customName: customName,
                        location: entries.first?.keyLocation ?? item.location))
            }
            return result
        }

        mutating func source(_ node: YAMLNode) -> SourceDeclaration? {
            guard let name = name(node, "source") else { return nil }
            checkKeys(node, PropertyFile.sourceKeys, "source '\(name)'")
            var tables: [SourceTableDeclaration] = []
            for item in node["tables"]?.items ?? [] {
                guard let tableName = self.name(item, "source table") else { continue }
                checkKeys(item, PropertyFile.tableKeys, "source table '\(name).\(tableName)'")
                var columns: [ColumnDeclaration] = []
                for (index, columnNode) in list(item["columns"], "columns").enumerated() {
                    if let column = column(columnNode, index: index) { columns.append(column) }
                }
                tables.append(
                    SourceTableDeclaration(
                        name: tableName, location: item["name"]?.location ?? item.location,
                        identifier: item["identifier"]?.string, description: item["description"]?.string ?? "",
                        meta: item["meta"]?.json.objectValue ?? [:], tags: tags(item["tags"]),
                        config: config(item["config"]),
                        loadedAtField: item["loaded_at_field"]?.string, freshness: item["freshness"]?.json,
                        columns: columns,
                        tests: tests(item["data_tests"] ?? item["tests"])))
            }
            return SourceDeclaration(
                name: name, location: node["name"]?.location ?? node.location, schema: node["schema"]?.string,
                database: node["database"]?.string, description: node["description"]?.string ?? "",
                meta: node["meta"]?.json.objectValue ?? [:], tags: tags(node["tags"]), config: config(node["config"]),
                loadedAtField: node["loaded_at_field"]?.string, freshness: node["freshness"]?.json, tables: tables)
        }

        mutating func unitTest(_ node: YAMLNode) -> UnitTestDeclaration? {
            guard let name = name(node, "unit test") else { return nil }
            guard let model = node["model"]?.string else {
                errors.append(.error("unit-test.no-model", "unit test '\(name)' has no 'model'", at: node.location))
                return nil
            }
            func rows(_ n: YAMLNode?) -> UnitTestRows {
                UnitTestRows(
                    format: n?["format"]?.string ?? "dict", rows: n?["rows"]?.json ?? .array([]),
                    fixture: n?["fixture"]?.string)
            }
            var given: [UnitTestInput] = []
            for item in node["given"]?.items ?? [] {
                guard let input = item["input"]?.string else {
                    errors.append(
                        .error("unit-test.no-input", "a 'given' entry needs 'input: ref(...)'", at: item.location))
                    continue
                }
                given.append(UnitTestInput(input: input, rows: rows(item)))
            }
            guard let expect = node["expect"] else {
                errors.append(.error("unit-test.no-expect", "unit test '\(name)' has no 'expect'", at: node.location))
                return nil
            }
            return UnitTestDeclaration(
                name: name, model: model, location: node["name"]?.location ?? node.location,
                description: node["description"]?.string ?? "", given: given, expect: rows(expect),
                overrides: node["overrides"]?.json, config: config(node["config"]))
        }
    }
}
