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
        return .forLoop(
            ForNode(
                target: target, iterable: iterable, condition: condition, body: body, otherwise: otherwise,
                offset: offset))
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
        let loopItems = items
        for (i, item) in loopItems.enumerated() {
            scopes[scopes.count - 1].removeAll(keepingCapacity: true)
            try assign(node.target, item, offset: node.offset)
            let lookup: @Sendable (String) -> TemplateValue? = { key in
                Self.loopAttribute(key, index: i, items: loopItems)
            }
            assign("loop", .object(TemplateObject(name: "LoopContext", lookup: lookup)))
            do {
                try render(node.body)
            } catch let control as LoopControl {
                if control.isBreak { break }
            }
        }
    }

    /// An attribute of `loop` in iteration `index`.
    static func loopAttribute(_ key: String, index i: Int, items: [TemplateValue]) -> TemplateValue? {
        let count = items.count
        switch key {
        case "index": return .int(i + 1)
        case "index0": return .int(i)
        case "revindex": return .int(count - i)
        case "revindex0": return .int(count - i - 1)
        case "first": return .bool(i == 0)
        case "last": return .bool(i == count - 1)
        case "length": return .int(count)
        case "previtem": return i > 0 ? items[i - 1] : .undefined("there is no previous item")
        case "nextitem": return i + 1 < count ? items[i + 1] : .undefined("there is no next item")
        case "depth": return .int(1)
        case "depth0": return .int(0)
        case "cycle":
            return .function(
                TemplateFunction(name: "cycle") { args in
                    guard !args.positional.isEmpty else { throw TemplateError("no items for cycling given") }
                    return args.positional[i % args.positional.count]
                })
        default: return nil
        }
    }
}
