/// A `{% macro %}` or `{% test %}` block as listed by `Template.macros`.
public struct MacroBlock: Sendable {
    /// The name as written (`not_null` for `{% test not_null(...) %}`).
    public let name: String
    /// The name the macro is registered and called by (`test_not_null` for tests).
    public let registeredName: String
    /// Parameter names in order.
    public let parameters: [String]
    /// Whether the block is a `{% test %}` (generic data test).
    public let isTest: Bool
    /// Where the opening tag is written.
    public let location: SourceLocation
    /// The whole block, from `{% macro` to the closing `%}` of `endmacro`.
    public let sourceText: String
}

/// A macro as a value: its definition and, for `caller`, the scopes it closes over.
public struct MacroValue: Sendable {
    let definition: MacroSyntax
    let closure: [[String: TemplateValue]]?
    /// The package namespace the macro was registered under; its siblings resolve unqualified inside it.
    public internal(set) var namespace: String? = nil

    /// The name the macro is called by.
    public var name: String { definition.name }
    /// Parameter names in order.
    public var parameters: [String] { definition.parameters.map(\.name) }
}

/// `{% call(params) macro(args) %}…{% endcall %}`: calls a macro with the body as `caller`.
struct CallBlockNode: Sendable {
    let callee: Expr
    let arguments: ArgumentList
    let offset: Int
    let caller: MacroSyntax
}

extension TemplateParser {
    mutating func parseMacro(openedAt offset: Int, isTest: Bool) throws -> Node {
        let tag = isTest ? "test" : "macro"
        _ = advance()
        let name = try expectName("\(tag) name")
        try expect("(")
        let parameters = try parseParameters()
        try expectBlockEnd()
        macroDepth += 1
        defer { macroDepth -= 1 }
        let (body, _) = try parseBlockBody(tag, openedAt: offset, until: ["end\(tag)"])
        let end = try expectBlockEnd()
        return .macro(
            makeDefinition(
                name: isTest ? "test_\(name.value)" : name.value, parameters: parameters, body: body, offset: offset,
                end: end, isTest: isTest))
    }

    /// `{% materialization name, adapter='x' %}` (or `, default`): a macro registered as
    /// `materialization_<name>_<adapter>`, like dbt does.
    mutating func parseMaterialization(openedAt offset: Int) throws -> Node {
        _ = advance()
        let name = try expectName("materialization name")
        var adapter = "default"
        while skipOptional(",") {
            if current.is(.name, "adapter"), next.is(.op, "=") {
                _ = advance(); _ = advance()
                guard current.kind == .string else {
                    throw error("expected an adapter name string", at: current.offset)
                }
                adapter = advance().value
            } else if current.kind == .name, next.is(.op, "=") {
                // other options such as supported_languages=[...]
                _ = advance(); _ = advance()
                _ = try parseExpression()
            } else {
                adapter = try expectName("adapter name").value
            }
        }
        try expectBlockEnd()
        macroDepth += 1
        defer { macroDepth -= 1 }
        let (body, _) = try parseBlockBody("materialization", openedAt: offset, until: ["endmaterialization"])
        let end = try expectBlockEnd()
        return .macro(
            makeDefinition(
                name: "materialization_\(name.value)_\(adapter)", parameters: [], body: body, offset: offset, end: end,
                isTest: false))
    }

    /// Parses `name [= default], ...)` after the opening parenthesis.
    mutating func parseParameters() throws -> [MacroParameter] {
        var parameters: [MacroParameter] = []
        while !current.is(.op, ")") {
            if !parameters.isEmpty {
                try expect(",")
                if current.is(.op, ")") { break }
            }
            let name = try expectName("parameter name")
            var defaultValue: Expr?
            if skipOptional("=") {
                defaultValue = try parseExpression()
            } else if parameters.contains(where: { $0.defaultValue != nil }) {
                throw error("non-default argument follows default argument", at: name.offset)
            }
            parameters.append(MacroParameter(name: name.value, defaultValue: defaultValue))
        }
        _ = advance()
        return parameters
    }

    func makeDefinition(
        name: String, parameters: [MacroParameter], body: [Node], offset: Int, end: Int, isTest: Bool
    ) -> MacroSyntax {
        var usesVarargs = false, usesKwargs = false, usesCaller = false
        SyntaxWalker.visit(body) { expr in
            if case .name(let n, _) = expr {
                switch n {
                case "varargs": usesVarargs = true
                case "kwargs": usesKwargs = true
                case "caller": usesCaller = true
                default: break
                }
            }
        }
        return MacroSyntax(
            name: name, parameters: parameters, body: body, source: source, offset: offset, isTest: isTest,
            usesVarargs: usesVarargs, usesKwargs: usesKwargs, usesCaller: usesCaller,
            sourceText: source.slice(offset, end))
    }

    mutating func parseCallBlock(openedAt offset: Int) throws -> Node {
        _ = advance()
        var parameters: [MacroParameter] = []
        if current.is(.op, "(") {
            _ = advance()
            parameters = try parseParameters()
        }
        let expr = try parseExpression()
        guard case .call(let callee, let arguments, _) = expr else {
            throw error("expected a call after 'call'", at: expr.offset)
        }
        try expectBlockEnd()
        let (body, _) = try parseBlockBody("call", openedAt: offset, until: ["endcall"])
        let end = try expectBlockEnd()
        let caller = makeDefinition(
            name: "caller", parameters: parameters, body: body, offset: offset, end: end, isTest: false)
        return .callBlock(CallBlockNode(callee: callee, arguments: arguments, offset: callee.offset, caller: caller))
    }
}

extension TemplateRenderer {
    func renderCallBlock(_ node: CallBlockNode) throws {
        let caller = TemplateValue.macro(MacroValue(definition: node.caller, closure: scopes))
        let value = try evaluateCall(node.callee, node.arguments, offset: node.offset, caller: caller)
        try write(try printed(value, offset: node.offset), templateOffset: node.offset, linear: false)
    }
}
