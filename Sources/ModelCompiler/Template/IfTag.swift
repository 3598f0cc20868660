/// `{% if %}…{% elif %}…{% else %}…{% endif %}`.
struct IfNode: Sendable {
    struct Branch: Sendable {
        let condition: Expr
        let body: [Node]
    }
    let branches: [Branch]
    let otherwise: [Node]?
}

/// The branch of an `{% if %}` a call is written in: taken when every earlier condition is false
/// and its own (none for `else`) is true.
struct BranchGuard: Sendable {
    let falseConditions: [Expr]
    let trueCondition: Expr?
}

extension TemplateParser {
    mutating func parseIf(openedAt offset: Int) throws -> Node {
        _ = advance()
        var condition = try parseTuple(withCondition: false)
        try expectBlockEnd()
        var branches: [IfNode.Branch] = []
        while true {
            branchGuards.append(BranchGuard(falseConditions: branches.map(\.condition), trueCondition: condition))
            let (body, end) = try parseBlockBody("if", openedAt: offset, until: ["elif", "else", "endif"])
            branchGuards.removeLast()
            branches.append(IfNode.Branch(condition: condition, body: body))
            switch end {
            case "elif":
                condition = try parseTuple(withCondition: false)
                try expectBlockEnd()
            case "else":
                try expectBlockEnd()
                branchGuards.append(BranchGuard(falseConditions: branches.map(\.condition), trueCondition: nil))
                defer { branchGuards.removeLast() }
                let (elseBody, _) = try parseBlockBody("if", openedAt: offset, until: ["endif"])
                try expectBlockEnd()
                return .ifBlock(IfNode(branches: branches, otherwise: elseBody))
            default:
                try expectBlockEnd()
                return .ifBlock(IfNode(branches: branches, otherwise: nil))
            }
        }
    }
}

extension TemplateRenderer {
    func renderIf(_ node: IfNode) throws {
        for branch in node.branches where try evaluate(branch.condition).isTruthy {
            try render(branch.body)
            return
        }
        if let otherwise = node.otherwise { try render(otherwise) }
    }
}
