/// Resolves a node's configuration from the project file's `models:`/`seeds:`/`data_tests:` tree:
/// `+key` entries apply to a folder and everything below it, nested by project name then folder.
public struct ConfigTree: Sendable {
    /// Keys that are configuration even without the `+` prefix, as dbt accepts them.
    static let configKeys: Set<String> = [
        "materialized", "enabled", "schema", "alias", "database", "tags", "meta", "pre-hook", "post-hook",
        "pre_hook", "post_hook", "unique_key", "incremental_strategy", "on_schema_change", "persist_docs",
        "grants", "indexes", "contract", "docs", "full_refresh", "column_types", "quote_columns", "delimiter", "sheet",
        "severity", "error_if", "warn_if", "store_failures", "store_failures_as", "where", "limit", "fail_calc",
        "unlogged", "partition_by", "group", "access", "on_configuration_change", "incremental_predicates",
        "sql_header", "bind", "quoting", "packages", "event_time", "loaded_at_field", "freshness",
    ]

    /// Configuration keys whose values accumulate down the tree instead of being replaced.
    static let additiveKeys: Set<String> = ["tags", "pre-hook", "post-hook", "pre_hook", "post_hook"]

    let root: YAMLNode?

    public init(_ root: YAMLNode?) { self.root = root }

    /// The configuration for a node at `fqn` (project name, folders..., node name).
    public func config(for fqn: [String]) -> NodeConfig {
        var result: NodeConfig = [:]
        guard var level = root else { return result }
        ConfigTree.apply(level, to: &result)
        for segment in fqn {
            guard let next = level[segment], next.entries != nil else { break }
            ConfigTree.apply(next, to: &result)
            level = next
        }
        return result
    }

    /// Merges the config entries of one tree level (those with `+`, or known config names).
    static func apply(_ level: YAMLNode, to config: inout NodeConfig) {
        for entry in level.entries ?? [] {
            let isPlus = entry.key.hasPrefix("+")
            let key = isPlus ? String(entry.key.dropFirst()) : entry.key
            guard isPlus || configKeys.contains(key) else { continue }
            merge(key: key, value: entry.value.json, into: &config)
        }
    }

    /// dbt's merge rule: tags and hooks accumulate, `meta` merges key by key, anything else replaces.
    public static func merge(key rawKey: String, value: JSONValue, into config: inout NodeConfig) {
        let key = normalizedKey(rawKey)
        if additiveKeys.contains(key), let existing = config[key] {
            let combined = (existing.arrayValue ?? [existing]) + (value.arrayValue ?? [value])
            var seen = Set<JSONValue>()
            config[key] = .array(combined.filter { seen.insert($0).inserted })
        } else if key == "meta" || key == "grants" || key == "persist_docs" || key == "docs", let existing = config[key]
        {
            config[key] = existing.merging(value)
        } else {
            config[key] = value
        }
    }

    /// `pre-hook` and `pre_hook` are one key; sqlt stores the underscore form.
    public static func normalizedKey(_ key: String) -> String {
        switch key {
        case "pre-hook": return "pre_hook"
        case "post-hook": return "post_hook"
        default: return key
        }
    }

    /// Merges every key of `other` into `config` by the rule above.
    public static func merge(_ other: NodeConfig, into config: inout NodeConfig) {
        for (key, value) in other.sorted(by: { $0.key < $1.key }) { merge(key: key, value: value, into: &config) }
    }
}
