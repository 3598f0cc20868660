/// One entry of a model's `versions:` list in a property file, as dbt reads it.
public struct ModelVersionDeclaration: Sendable {
    /// `v:` as written: an integer, a number or a string.
    public var v: JSONValue
    public var location: SourceLocation
    /// `defined_in:`, the file (without `.sql`) holding this version; default `<name>_v<v>`.
    public var definedIn: String?
    public var description: String?
    public var config: NodeConfig
    /// `columns:` entries that name a column (they add to or replace the model's).
    public var columns: [ColumnDeclaration]
    /// `columns: [{include: ..., exclude: [...]}]`: which of the model's columns this version keeps.
    public var includeAll: Bool
    public var include: [String]
    public var exclude: [String]

    /// The version as text: `1`, `1.5`, `beta`.
    public var text: String { Self.text(of: v) }

    static func text(of value: JSONValue) -> String {
        switch value {
        case .int(let i): return String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .string(let s): return s
        default: return "\(value)"
        }
    }

    /// The latest of these versions when none is declared: the greatest number when all are
    /// numbers, else the alphabetically last.
    static func latest(of versions: [ModelVersionDeclaration]) -> JSONValue? {
        let numbers = versions.compactMap { version -> Double? in
            switch version.v {
            case .int(let i): return Double(i)
            case .double(let d): return d
            default: return nil
            }
        }
        if numbers.count == versions.count, let best = versions.max(by: { number($0.v) < number($1.v) }) {
            return best.v
        }
        return versions.max(by: { $0.text < $1.text })?.v
    }

    private static func number(_ value: JSONValue) -> Double {
        switch value {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return 0
        }
    }
}
