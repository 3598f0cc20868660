/// Typed reads of the configuration keys sqlt acts on.
extension Dictionary where Key == String, Value == JSONValue {
    /// The `materialized` name as written (`view` when unset), for messages; decide by
    /// `ManifestNode.materialization` instead.
    public var materializedName: String { self["materialized"]?.stringValue ?? MaterializationKind.view.rawValue }
    public var enabled: Bool { self["enabled"]?.boolValue ?? true }
    public var uniqueKey: [String] { self["unique_key"]?.stringList ?? [] }
    public var customSchema: String? { self["schema"]?.stringValue }
    public var aliasName: String? { self["alias"]?.stringValue }
    public var configTags: [String] { self["tags"]?.stringList ?? [] }
    public var preHooks: [String] { Self.hooks(self["pre_hook"] ?? self["pre-hook"]) }
    public var postHooks: [String] { Self.hooks(self["post_hook"] ?? self["post-hook"]) }
    public var severity: String { (self["severity"]?.stringValue ?? "error").lowercased() }
    public var fullRefreshAllowed: Bool { self["full_refresh"]?.boolValue ?? true }

    static func hooks(_ value: JSONValue?) -> [String] {
        switch value {
        case .string(let s)?: return [s]
        case .array(let items)?:
            return items.compactMap { item in item.stringValue ?? item["sql"]?.stringValue }
        case .object(let o)?: return o["sql"]?.stringValue.map { [$0] } ?? []
        default: return []
        }
    }
}
