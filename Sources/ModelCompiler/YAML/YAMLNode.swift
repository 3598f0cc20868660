/// A YAML document as a small typed tree that remembers where each value was written,
/// so property-file errors and warnings can name `file:line:col`.
public indirect enum YAMLNode: Sendable {
    case scalar(JSONValue, SourceLocation)
    case mapping([YAMLEntry], SourceLocation)
    case sequence([YAMLNode], SourceLocation)

    public var location: SourceLocation {
        switch self {
        case .scalar(_, let l), .mapping(_, let l), .sequence(_, let l): return l
        }
    }

    /// How scalars are typed by `parse`.
    public enum ScalarTyping: Sendable {
        /// Plain scalars are typed as YAML 1.1 (see `YAMLScalar`): null, bool, int, float or string;
        /// quoted and block (`|`, `>`) scalars, and those tagged `!!str`, are strings.
        case yaml11
        /// Every scalar is a string of its text as written, for files whose values are text
        /// (`profiles.yml`: a password `0123` stays `0123`).
        case text
    }

    /// Parses YAML text with libyaml; an empty text (or only comments) is an empty mapping.
    ///
    /// Aliases yield the anchored node and merge keys `<<` are merged. Errors are `yaml.syntax`
    /// (libyaml's, an undefined alias or more than one document), `yaml.duplicate-key` and
    /// `yaml.merge`, at the line and column libyaml reports (1-based).
    public static func parse(
        _ text: String, file: String, scalars: ScalarTyping = .yaml11
    ) throws(DiagnosticsError) -> YAMLNode {
        do {
            return try compose(text, file: file, scalars: scalars)
        } catch {
            throw DiagnosticsError([error.diagnostic])
        }
    }

    /// `parse` with the error as libyaml gave it, for callers with their own messages.
    public static func compose(
        _ text: String, file: String, scalars: ScalarTyping = .yaml11
    ) throws(YAMLError) -> YAMLNode {
        var composer = YAMLComposer(file: file, typing: scalars)
        return try composer.compose(text) ?? .mapping([], SourceLocation(file: file, line: 1, column: 1))
    }

    /// Plain data, dropping locations.
    public var json: JSONValue {
        switch self {
        case .scalar(let v, _): return v
        case .sequence(let items, _): return .array(items.map(\.json))
        case .mapping(let entries, _):
            var object: [String: JSONValue] = [:]
            for entry in entries { object[entry.key] = entry.value.json }
            return .object(object)
        }
    }

    public var entries: [YAMLEntry]? { if case .mapping(let e, _) = self { return e }; return nil }
    public var items: [YAMLNode]? { if case .sequence(let i, _) = self { return i }; return nil }
    public var string: String? {
        guard case .scalar(let v, _) = self else { return nil }
        switch v {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }
    public var isNull: Bool { if case .scalar(.null, _) = self { return true }; return false }

    public subscript(key: String) -> YAMLNode? { entries?.first { $0.key == key }?.value }
}

/// One `key: value` pair of a YAML mapping, with where the key was written.
public struct YAMLEntry: Sendable {
    public var key: String
    public var keyLocation: SourceLocation
    public var value: YAMLNode
}
