/// A call found by reading a template without rendering it, such as `ref('orders')`.
public struct StaticCall: Sendable, Hashable {
    /// A keyword argument; its value is nil when not a literal.
    public struct KeywordArgument: Sendable, Hashable {
        /// The keyword.
        public let name: String
        /// The literal value, or nil when not a literal.
        public let value: JSONValue?
    }

    /// The callee name.
    public let name: String
    /// Positional arguments in order; nil where the argument is not a literal.
    public let arguments: [JSONValue?]
    /// Keyword arguments in source order.
    public let keywordArguments: [KeywordArgument]
    /// Where the callee name is written.
    public let location: SourceLocation

    /// The keyword argument's value, if given as a literal.
    public func keyword(_ name: String) -> JSONValue? {
        keywordArguments.first { $0.name == name }?.value
    }
}

/// A call of a plain name recorded while parsing.
struct CallSite: Sendable {
    let name: String
    let offset: Int
    let arguments: [JSONValue?]
    let keywordArguments: [StaticCall.KeywordArgument]
}

extension Template {
    /// Every call anywhere in the syntax tree whose callee is a plain name in `names`, in source order.
    public func staticCalls(named names: Set<String>) -> [StaticCall] {
        callSites.compactMap { site in
            guard names.contains(site.name) else { return nil }
            return StaticCall(
                name: site.name, arguments: site.arguments, keywordArguments: site.keywordArguments,
                location: syntax.location(site.offset))
        }
    }
}
