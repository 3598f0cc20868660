/// `{% for target in iterable [if condition] %}…[{% else %}…]{% endfor %}` with the `loop` variable.
struct ForNode: Sendable {
    let target: AssignTarget
    let iterable: Expr
    let condition: Expr?
    let body: [Node]
    let otherwise: [Node]?
    let offset: Int
}

extension TemplateParser {
    mutating func parseFor(openedAt offset: Int) throws -> Node {
        _ = advance()
        let targetOffset = current.offset
        let target = try parseAssignTarget()
        if case .attribute = target { throw error("cannot assign to an attribute in a for loop", at: targetOffset) }
        try expectKeyword("in")
        let iterable = try parseTuple(withCondition: false)
        var condition: Expr?
        if current.is(.name, "if") {
            _ = advance()
            condition = try parseExpression()
        }
        if current.is(.name, "recursive") { _ = advance() }
        try expectBlockEnd()
        let (body, end) = try parseBlockBody("for", openedAt: offset, until: ["else", "endfor"])
        try expectBlockEnd()
        var otherwise: [Node]?
        if end == "else" {
            let (elseBody, _) = try parseBlockBody("for", openedAt: offset, until: ["endfor"])
            try expectBlockEnd()
            otherwise = elseBody
        }
        return .forLoop(ForNode(
            target: target, iterable: iterable, condition: condition, body: body, otherwise: otherwise, offset: offset))
    }
}

extension TemplateRenderer {
    func renderFor(_ node: ForNode) throws {
        let iterable = try evaluate(node.iterable)
        guard var items = iterable.iterationItems else {
            throw diagnostic("'\(iterable.typeName)' object is not iterable", at: node.iterable.offset)
        }
        if case .undefined(let reason) = iterable, context.strictUndefined {
            throw diagnostic(reason, at: node.iterable.offset, id: "template.undefined")
        }
        scopes.append([:])
        defer { scopes.removeLast() }
        if let condition = node.condition {
            var kept: [TemplateValue] = []
            for item in items {
                try assign(node.target, item, offset: node.offset)
                if try evaluate(condition).isTruthy { kept.append(item) }
            }
            items = kept
            scopes[scopes.count - 1] = [:]
        }
        if items.isEmpty {
            if let otherwise = node.otherwise { try render(otherwise) }
            return
        }
        let count = items.count
        for (i, item) in items.enumerated() {
            scopes[scopes.count - 1] = [:]
            try assign(node.target, item, offset: node.offset)
            var attributes: [String: TemplateValue] = [
                "index": .int(i + 1), "index0": .int(i), "revindex": .int(count - i), "revindex0": .int(count - i - 1),
                "first": .bool(i == 0), "last": .bool(i == count - 1), "length": .int(count),
                "previtem": i > 0 ? items[i - 1] : .undefined("there is no previous item"),
                "nextitem": i + 1 < count ? items[i + 1] : .undefined("there is no next item"),
                "depth": .int(1), "depth0": .int(0),
            ]
            attributes["cycle"] = .function(TemplateFunction(name: "cycle") { args in
                guard !args.positional.isEmpty else { throw TemplateError("no items for cycling given") }
                return args.positional[i % args.positional.count]
            })
            assign("loop", .object(TemplateObject(name: "LoopContext", attributes: attributes)))
            try render(node.body)
        }
    }
}
