import Yams

// TEMPORARY: the Yams-based parser, kept only to compare the libyaml parser with it in tests.
extension YAMLNode {
    /// Parses YAML text; an empty document is an empty mapping.
    public static func parseWithYams(_ text: String, file: String) throws(DiagnosticsError) -> YAMLNode {
        let start = SourceLocation(file: file, line: 1, column: 1)
        do {
            guard let root = try Yams.compose(yaml: text, YAMLNode.keyResolver) else { return .mapping([], start) }
            return convert(root, file: file)
        } catch let error as YamlError {
            throw DiagnosticsError([diagnostic(for: error, file: file)])
        } catch {
            throw DiagnosticsError([.error("yaml.syntax", "invalid YAML: \(error)", at: start)])
        }
    }

    /// Yams resolves each mapping key's tag with up to seven regular expressions to detect duplicate
    /// keys; only `<<` matters here (values are typed by `scalarValue`), as in Yams' own decoder.
    private static let keyResolver = Resolver.basic.appending(.merge)

    private static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let where_ = SourceLocation(file: file, line: mark.line, column: mark.column)
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return .error("yaml.syntax", "invalid YAML: \(text)", at: where_)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let mark = context.mark
            return .error(
                "yaml.duplicate-key", "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in mapping",
                at: SourceLocation(file: file, line: mark.line, column: mark.column))
        default:
            return .error("yaml.syntax", "invalid YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    private static func convert(_ node: Yams.Node, file: String) -> YAMLNode {
        let mark = node.mark
        let location = SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
        switch node {
        case .scalar(let scalar):
            return .scalar(scalarValue(scalar), location)
        case .mapping(let mapping):
            var entries: [YAMLEntry] = []
            entries.reserveCapacity(mapping.count)
            for (key, value) in mapping {
                let keyMark = key.mark
                let keyLocation = SourceLocation(file: file, line: keyMark?.line ?? 1, column: keyMark?.column ?? 1)
                entries.append(YAMLEntry(key: key.string ?? "", keyLocation: keyLocation, value: convert(value, file: file)))
            }
            return .mapping(entries, location)
        case .sequence(let sequence):
            return .sequence(sequence.map { convert($0, file: file) }, location)
        case .alias:
            return .scalar(.null, location)
        }
    }

    private static func scalarValue(_ scalar: Yams.Node.Scalar) -> JSONValue {
        let node = Yams.Node.scalar(scalar)
        if scalar.style == .singleQuoted || scalar.style == .doubleQuoted || scalar.style == .literal
            || scalar.style == .folded
        {
            return .string(scalar.string)
        }
        if node.null != nil { return .null }
        if let b = node.bool { return .bool(b) }
        // Yams' Int and Double constructors strip `_` and try every radix: only worth it when the
        // text can start a number (an ASCII letter other than these never does).
        if let first = scalar.string.utf8.first, first < 0x80, !YAMLNode.canStartNumber(first) {
            return .string(scalar.string)
        }
        if let i = node.int { return .int(i) }
        if let d = node.float, scalar.string.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true {
            return .double(d)
        }
        return .string(scalar.string)
    }

    /// Digits, sign, dot or underscore (Yams ignores `_` in numbers).
    private static func canStartNumber(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || byte == 0x2B || byte == 0x2D || byte == 0x2E || byte == 0x5F
    }

}
