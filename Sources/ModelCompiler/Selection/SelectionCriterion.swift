/// One selection criterion of dbt's syntax, such as `2+tag:nightly+1`, `@stg_orders` or
/// `config.materialized:table`: a method and value, then graph operators around it.
public struct SelectionCriterion: Sendable, Hashable, CustomStringConvertible {
    /// The criterion as written.
    public let raw: String
    /// The method, or nil when omitted (then `path`, `file` or `fqn`, decided against the project).
    public let method: SelectorMethod?
    /// What follows the method name, split on dots (`config.materialized` -> `["materialized"]`).
    public let arguments: [String]
    public let value: String
    /// `@x`: x, its descendants, and the ancestors of those.
    public let childrensParents: Bool
    /// `+x` / `2+x`.
    public let parents: Bool
    public let parentsDepth: Int?
    /// `x+` / `x+1`.
    public let children: Bool
    public let childrenDepth: Int?

    public var description: String { raw }

    /// Parses one criterion (no spaces or commas).
    public init(parsing raw: String) throws(DiagnosticsError) {
        self.raw = raw
        var rest = Substring(raw)
        childrensParents = rest.hasPrefix("@")
        if childrensParents { rest = rest.dropFirst() }

        // Leading `N+`: digits are part of the operator only when a `+` follows them.
        let leadingDigits = rest.prefix { $0.isASCII && $0.isNumber }
        if rest.dropFirst(leadingDigits.count).hasPrefix("+") {
            parents = true
            parentsDepth = leadingDigits.isEmpty ? nil : Int(leadingDigits)
            rest = rest.dropFirst(leadingDigits.count + 1)
        } else {
            parents = false
            parentsDepth = nil
        }

        // Trailing `+N`.
        let trailingDigits = rest.reversed().prefix { $0.isASCII && $0.isNumber }
        let beforeDigits = rest.dropLast(trailingDigits.count)
        if beforeDigits.hasSuffix("+") {
            children = true
            childrenDepth = trailingDigits.isEmpty ? nil : Int(String(trailingDigits.reversed()))
            rest = beforeDigits.dropLast()
        } else {
            children = false
            childrenDepth = nil
        }

        if childrensParents && parents {
            throw Self.error(
                "selector.syntax", "invalid selector '\(raw)': the '@' and '+' prefixes cannot be combined")
        }

        // `method.arg:value`, where the method part is word characters and dots.
        if let colon = rest.firstIndex(of: ":"),
            rest[..<colon].allSatisfy({ $0 == "." || $0 == "_" || $0.isLetter || $0.isNumber }),
            colon != rest.startIndex
        {
            let parts = rest[..<colon].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard let method = SelectorMethod(rawValue: parts[0]) else {
                let names = SelectorMethod.allCases.map(\.rawValue)
                throw Self.error(
                    "selector.method", "'\(parts[0])' is not a valid method name in selector '\(raw)'",
                    hint: closestMatch(to: parts[0], in: names).map { "did you mean '\($0)'?" }
                        ?? "valid methods are " + names.joined(separator: ", ")
                )
            }
            self.method = method
            self.arguments = Array(parts.dropFirst())
            self.value = String(rest[rest.index(after: colon)...])
        } else {
            self.method = nil
            self.arguments = []
            self.value = String(rest)
        }

        if value.isEmpty {
            throw Self.error("selector.syntax", "invalid selector '\(raw)': nothing to select")
        }
        try validate()
    }

    /// Checks values that only a fixed set of words can take.
    private func validate() throws(DiagnosticsError) {
        guard let method else { return }
        func allowed(_ words: [String]) throws(DiagnosticsError) {
            guard !words.contains(value) else { return }
            throw Self.error(
                "selector.value", "invalid value '\(value)' for the '\(method.rawValue)' method in selector '\(raw)'",
                hint: closestMatch(to: value, in: words).map { "did you mean '\($0)'?" }
                    ?? "expected one of " + words.map { "'\($0)'" }.joined(separator: ", ")
            )
        }
        switch method {
        case .config where arguments.isEmpty || arguments.contains(""):
            throw Self.error(
                "selector.syntax",
                "invalid selector '\(raw)': the config method needs a key, as in 'config.materialized:table'"
            )
        case .resourceType: try allowed(ResourceType.allCases.map(\.rawValue))
        case .testType: try allowed(["generic", "singular", "unit", "data", "schema"])
        case .state: try allowed(StateComparison.selectors)
        case .version: try allowed(["latest", "prerelease", "old", "none"])
        case .source where value.split(separator: ".", omittingEmptySubsequences: false).count > 3:
            throw Self.error(
                "selector.value",
                "invalid source selector '\(value)': expected 'source_name', 'source_name.table_name' or 'package.source_name.table_name'"
            )
        case .sourceStatus: try allowed(["fresher"])
        case .result:
            throw Self.error(
                "selector.method",
                "the '\(method.rawValue)' method is not supported: sqlt keeps no results of earlier runs to compare"
            )
        default: return
        }
    }

    static func error(_ id: String, _ message: String, hint: String? = nil) -> DiagnosticsError {
        DiagnosticsError([.error(id, message, hint: hint)])
    }
}
