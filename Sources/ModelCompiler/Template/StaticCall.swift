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
    /// The argument expressions, kept when some argument is not a literal, to be evaluated.
    let unevaluated: UnevaluatedArguments?

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
    /// The expressions, when some argument is not a literal.
    var expressions: ArgumentList? = nil
    /// For `config`: the `{% if %}` branches the call is written in.
    var guards: [BranchGuard] = []
}

/// A call's argument expressions, and the `{% if %}` branches around it, with the template they are
/// written in (equal by position).
struct UnevaluatedArguments: Sendable, Hashable {
    let arguments: ArgumentList?
    let guards: [BranchGuard]
    let source: TemplateSource
    let offset: Int

    static func == (a: Self, b: Self) -> Bool { a.source === b.source && a.offset == b.offset }
    func hash(into hasher: inout Hasher) { hasher.combine(offset) }
}

extension StaticCall {
    /// The keyword arguments' values: literals as written, the others evaluated with `context`
    /// (`var()`, `env_var()`, `target`, conditionals, macros) as dbt evaluates them while parsing.
    /// Errors point at the argument.
    /// A call inside `{% if %}` branches that the render would not take gives nothing.
    func evaluatedKeywordArguments(
        _ context: @autoclosure () -> RenderContext
    ) throws(DiagnosticsError) -> [(name: String, value: JSONValue)] {
        guard let unevaluated else { return keywordArguments.compactMap { a in a.value.map { (a.name, $0) } } }
        let renderer = TemplateRenderer(
            context: context(), source: unevaluated.source, localMacros: [:], recordMap: false)
        func evaluate(_ expression: Expr) throws(DiagnosticsError) -> TemplateValue {
            do {
                return try renderer.evaluate(expression)
            } catch {
                throw TemplateRenderer.diagnostics(
                    from: renderer.convert(error, at: expression.offset), renderer: renderer)
            }
        }
        for guardBranch in unevaluated.guards {
            for condition in guardBranch.falseConditions where try evaluate(condition).isTruthy { return [] }
            if let condition = guardBranch.trueCondition, !(try evaluate(condition).isTruthy) { return [] }
        }
        guard let expressions = unevaluated.arguments else {
            return keywordArguments.compactMap { a in a.value.map { (a.name, $0) } }
        }
        var values: [(name: String, value: JSONValue)] = []
        for (argument, expression) in zip(keywordArguments, expressions.keyword) {
            if let literal = argument.value {
                values.append((argument.name, literal))
                continue
            }
            let value = try evaluate(expression.value)
            values.append((argument.name, value.jsonValue ?? .string(value.description)))
        }
        return values
    }
}

extension Template {
    /// Every call anywhere in the syntax tree whose callee is a plain name in `names`, in source order.
    public func staticCalls(named names: Set<String>) -> [StaticCall] {
        callSites.compactMap { site in
            guard names.contains(site.name) else { return nil }
            return StaticCall(
                name: site.name, arguments: site.arguments, keywordArguments: site.keywordArguments,
                location: syntax.location(site.offset),
                unevaluated: site.expressions == nil && site.guards.isEmpty
                    ? nil
                    : UnevaluatedArguments(
                        arguments: site.expressions, guards: site.guards, source: syntax, offset: site.offset))
        }
    }
}
