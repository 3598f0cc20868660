/// A package's `require-dbt-version` (the hub's `require_dbt_version`): `dbt deps` installs only
/// the versions of a hub package that support the running dbt, and sqlt answers as dbt-core 1.11.
public enum DbtVersionRequirement {
    /// The dbt-core version sqlt is compatible with, for `require-dbt-version` checks.
    public static let compatibleDbtVersion = "1.11.0"

    /// Whether a `require-dbt-version` value (a text or a list of bounds; none means any) admits dbt 1.11.
    public static func admits(_ requirement: JSONValue?) -> Bool {
        let texts: [String]
        switch requirement {
        case .string(let text)?: texts = [text]
        case .array(let items)?: texts = items.compactMap(\.stringValue)
        default: return true
        }
        if texts.isEmpty { return true }
        let bounds = texts.compactMap { SemanticVersion(parsing: $0.replacingOccurrences(of: " ", with: "")) }
        guard bounds.count == texts.count, let dbt = SemanticVersion(parsing: compatibleDbtVersion) else { return true }
        return VersionRange.reduce([dbt] + bounds) != nil
    }
}
