/// `{% filter name(args) | other %}…{% endfilter %}`: applies filters to the body's output.
struct FilterBlockNode: Sendable {
    let filter: Expr
    let body: [Node]
    let offset: Int
}

extension TemplateParser {
    mutating func parseFilterBlock(openedAt offset: Int) throws -> Node {
        _ = advance()
        let placeholder = Expr.name(Self.blockInput, offset: current.offset)
        let filter = try parseFilterExpression(try parseFilter(placeholder))
        try expectBlockEnd()
        let (body, _) = try parseBlockBody("filter", openedAt: offset, until: ["endfilter"])
        try expectBlockEnd()
        return .filterBlock(FilterBlockNode(filter: filter, body: body, offset: offset))
    }

    /// `{% do expression %}`: evaluates and discards.
    mutating func parseDo() throws -> Node {
        _ = advance()
        let expr = try parseTuple()
        try expectBlockEnd()
        return .do(expr)
    }
}

extension TemplateRenderer {
    func renderFilterBlock(_ node: FilterBlockNode) throws {
        let text = try capture { try render(node.body) }
        let value = try applyBlockFilter(node.filter, to: .string(text))
        try write(try printed(value, offset: node.offset), templateOffset: node.offset, linear: false)
    }
}
