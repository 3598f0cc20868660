/// `{% set target = value %}` (with tuple unpacking and namespace attributes).
struct SetNode: Sendable {
    let target: AssignTarget
    let value: Expr
    let offset: Int
}

/// `{% set name [| filters] %}…{% endset %}`: captures the body's output.
struct SetBlockNode: Sendable {
    let target: AssignTarget
    /// Filters applied to the captured text, written on the placeholder name `TemplateParser.blockInput`.
    let filter: Expr?
    let body: [Node]
}

extension TemplateParser {
    /// The name filter blocks and set blocks bind their captured text to.
    static let blockInput = "\u{0}block"

    mutating func parseSet(openedAt offset: Int) throws -> Node {
        _ = advance()
        let target = try parseAssignTarget()
        if current.is(.op, "=") {
            _ = advance()
            let value = try parseTuple()
            try expectBlockEnd()
            return .set(SetNode(target: target, value: value, offset: offset))
        }
        var filter: Expr?
        if current.is(.op, "|") {
            filter = try parseFilterExpression(.name(Self.blockInput, offset: current.offset))
        }
        try expectBlockEnd()
        let (body, _) = try parseBlockBody("set", openedAt: offset, until: ["endset"])
        try expectBlockEnd()
        return .setBlock(SetBlockNode(target: target, filter: filter, body: body))
    }
}

extension TemplateRenderer {
    func renderSet(_ node: SetNode) throws {
        try assign(node.target, try evaluate(node.value), offset: node.offset)
    }

    func renderSetBlock(_ node: SetBlockNode) throws {
        var value = TemplateValue.string(try capture { try render(node.body) })
        if let filter = node.filter { value = try applyBlockFilter(filter, to: value) }
        try assign(node.target, value, offset: node.filter?.offset ?? 0)
    }

    /// Evaluates a filter chain written on the block placeholder with `value` bound to it.
    func applyBlockFilter(_ filter: Expr, to value: TemplateValue) throws -> TemplateValue {
        scopes.append([TemplateParser.blockInput: value])
        defer { scopes.removeLast() }
        return try evaluate(filter)
    }
}
