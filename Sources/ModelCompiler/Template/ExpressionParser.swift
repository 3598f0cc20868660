/// Expression parsing with Jinja2's precedence (lowest first): conditional, or, and, not, comparison,
/// `+ -`, `~`, `* / // %`, `**`, unary minus, then filters/tests and postfix access.
extension TemplateParser {
    /// An expression, or a tuple when commas follow (`{{ a, b }}`, `set a, b = ...`).
    mutating func parseTuple(withCondition: Bool = true) throws -> Expr {
        let start = current.offset
        let first = try parseExpression(withCondition: withCondition)
        guard current.is(.op, ",") else { return first }
        var items = [first]
        while skipOptional(",") {
            if isTupleEnd { break }
            items.append(try parseExpression(withCondition: withCondition))
        }
        return .tuple(items, offset: start)
    }

    private var isTupleEnd: Bool {
        switch current.kind {
        case .variableEnd, .blockEnd, .eof: return true
        case .op: return [")", "]", "}", "="].contains(current.value)
        case .name: return current.value == "in" || current.value == "if"
        default: return false
        }
    }

    mutating func parseExpression(withCondition: Bool = true) throws -> Expr {
        let saved = expressionDepth
        defer { expressionDepth = saved }
        try deeper(at: current.offset)
        return withCondition ? try parseConditional() : try parseOr()
    }

    mutating func parseConditional() throws -> Expr {
        let saved = expressionDepth
        defer { expressionDepth = saved }
        var expr = try parseOr()
        while current.is(.name, "if") {
            try deeper(at: advance().offset)
            let condition = try parseOr()
            var otherwise: Expr?
            if current.is(.name, "else") {
                _ = advance()
                otherwise = try parseConditional()
            }
            expr = .conditional(then: expr, condition: condition, otherwise: otherwise)
        }
        return expr
    }

    mutating func parseOr() throws -> Expr {
        let saved = expressionDepth
        defer { expressionDepth = saved }
        var left = try parseAnd()
        while current.is(.name, "or") {
            try deeper(at: advance().offset)
            left = .or(left, try parseAnd())
        }
        return left
    }

    mutating func parseAnd() throws -> Expr {
        let saved = expressionDepth
        defer { expressionDepth = saved }
        var left = try parseNot()
        while current.is(.name, "and") {
            try deeper(at: advance().offset)
            left = .and(left, try parseNot())
        }
        return left
    }

    mutating func parseNot() throws -> Expr {
        if current.is(.name, "not") {
            let offset = advance().offset
            let saved = expressionDepth
            defer { expressionDepth = saved }
            try deeper(at: offset)
            return .not(try parseNot(), offset: offset)
        }
        return try parseCompare()
    }

    mutating func parseCompare() throws -> Expr {
        let start = current.offset
        let left = try parseMath1()
        var ops: [(CompareOperator, Expr)] = []
        while true {
            if current.kind == .op, let op = CompareOperator(rawValue: current.value), op != .in, op != .notIn {
                _ = advance()
                ops.append((op, try parseMath1()))
            } else if current.is(.name, "in") {
                _ = advance()
                ops.append((.in, try parseMath1()))
            } else if current.is(.name, "not"), next.is(.name, "in") {
                _ = advance(); _ = advance()
                ops.append((.notIn, try parseMath1()))
            } else {
                break
            }
        }
        return ops.isEmpty ? left : .compare(left, ops, offset: start)
    }

    mutating func parseMath1() throws -> Expr {
        let saved = expressionDepth
        defer { expressionDepth = saved }
        var left = try parseConcat()
        while current.kind == .op, current.value == "+" || current.value == "-" {
            let op = advance()
            try deeper(at: op.offset)
            left = .binary(op.value == "+" ? .add : .subtract, left, try parseConcat(), offset: op.offset)
        }
        return left
    }

    mutating func parseConcat() throws -> Expr {
        let saved = expressionDepth
        defer { expressionDepth = saved }
        var left = try parseMath2()
        while current.is(.op, "~") {
            let op = advance()
            try deeper(at: op.offset)
            left = .binary(.concat, left, try parseMath2(), offset: op.offset)
        }
        return left
    }

    mutating func parseMath2() throws -> Expr {
        let saved = expressionDepth
        defer { expressionDepth = saved }
        var left = try parsePow()
        while current.kind == .op, let op = BinaryOperator(rawValue: current.value),
            op == .multiply || op == .divide || op == .floorDivide || op == .modulo
        {
            let token = advance()
            try deeper(at: token.offset)
            left = .binary(op, left, try parsePow(), offset: token.offset)
        }
        return left
    }

    mutating func parsePow() throws -> Expr {
        let saved = expressionDepth
        defer { expressionDepth = saved }
        var left = try parseUnary()
        while current.is(.op, "**") {
            let op = advance()
            try deeper(at: op.offset)
            left = .binary(.power, left, try parseUnary(), offset: op.offset)
        }
        return left
    }

    mutating func parseUnary(withFilter: Bool = true) throws -> Expr {
        let saved = expressionDepth
        defer { expressionDepth = saved }
        var expr: Expr
        if current.is(.op, "-") {
            let op = advance()
            try deeper(at: op.offset)
            expr = .negate(try parseUnary(withFilter: false), offset: op.offset)
        } else if current.is(.op, "+") {
            let op = advance()
            try deeper(at: op.offset)
            expr = .plus(try parseUnary(withFilter: false), offset: op.offset)
        } else {
            expr = try parsePostfix(try parsePrimary())
        }
        if withFilter { expr = try parseFilterExpression(expr) }
        return expr
    }

    mutating func parsePrimary() throws -> Expr {
        let token = current
        switch token.kind {
        case .name:
            _ = advance()
            switch token.value {
            case "true", "True": return .constant(.bool(true), offset: token.offset)
            case "false", "False": return .constant(.bool(false), offset: token.offset)
            case "none", "None": return .constant(.none, offset: token.offset)
            default: return .name(token.value, offset: token.offset)
            }
        case .string:
            _ = advance()
            var value = token.value
            while current.kind == .string { value += advance().value }
            return .constant(.string(value), offset: token.offset)
        case .integer:
            _ = advance()
            if let i = Int(token.value) { return .constant(.int(i), offset: token.offset) }
            return .constant(.double(Double(token.value) ?? 0), offset: token.offset)
        case .float:
            _ = advance()
            return .constant(.double(Double(token.value) ?? 0), offset: token.offset)
        case .op:
            switch token.value {
            case "(":
                _ = advance()
                if current.is(.op, ")") { _ = advance(); return .tuple([], offset: token.offset) }
                let first = try parseExpression()
                if current.is(.op, ")") { _ = advance(); return first }
                var items = [first]
                while skipOptional(",") {
                    if current.is(.op, ")") { break }
                    items.append(try parseExpression())
                }
                try expect(")")
                return .tuple(items, offset: token.offset)
            case "[":
                _ = advance()
                var items: [Expr] = []
                while !current.is(.op, "]") {
                    if !items.isEmpty { try expect(","); if current.is(.op, "]") { break } }
                    items.append(try parseExpression())
                }
                _ = advance()
                return .list(items, offset: token.offset)
            case "{":
                _ = advance()
                var pairs: [(Expr, Expr)] = []
                while !current.is(.op, "}") {
                    if !pairs.isEmpty { try expect(","); if current.is(.op, "}") { break } }
                    let key = try parseExpression()
                    try expect(":")
                    pairs.append((key, try parseExpression()))
                }
                _ = advance()
                return .dict(pairs, offset: token.offset)
            default: break
            }
        default: break
        }
        throw error("unexpected \(token.display)", at: token.offset, length: max(1, token.value.count))
    }

    mutating func parsePostfix(_ base: Expr) throws -> Expr {
        let saved = expressionDepth
        defer { expressionDepth = saved }
        var expr = base
        while true {
            if current.is(.op, ".") || current.is(.op, "[") || current.is(.op, "(") { try deeper(at: current.offset) }
            if current.is(.op, ".") {
                _ = advance()
                if current.kind == .integer {
                    let t = advance()
                    expr = .item(expr, .constant(.int(Int(t.value) ?? 0), offset: t.offset), offset: t.offset)
                } else {
                    let name = try expectName("attribute name")
                    expr = .attribute(expr, name.value, offset: name.offset)
                }
            } else if current.is(.op, "[") {
                let open = advance()
                expr = try parseSubscript(expr, offset: open.offset)
            } else if current.is(.op, "(") {
                let open = advance()
                expr = makeCall(expr, try parseArguments(), offset: open.offset)
            } else {
                return expr
            }
        }
    }

    private mutating func parseSubscript(_ base: Expr, offset: Int) throws -> Expr {
        var parts: [Expr?] = []
        var current_: Expr? = nil
        var isSlice = false
        while !current.is(.op, "]") {
            if current.is(.op, ":") {
                _ = advance()
                isSlice = true
                parts.append(current_)
                current_ = nil
            } else {
                if current_ != nil { throw error("expected ']', got \(current.display)", at: current.offset) }
                current_ = try parseExpression()
            }
        }
        _ = advance()
        parts.append(current_)
        if !isSlice {
            guard let index = parts[0] else { throw error("expected an index", at: offset) }
            return .item(base, index, offset: offset)
        }
        while parts.count < 3 { parts.append(nil) }
        return .slice(base, start: parts[0], stop: parts[1], step: parts[2], offset: offset)
    }

    /// A call expression; calls of plain names are also recorded for `Template.staticCalls`.
    mutating func makeCall(_ callee: Expr, _ args: ArgumentList, offset: Int) -> Expr {
        if case .name(let name, let nameOffset) = callee {
            var site = CallSite(
                name: name, offset: nameOffset, arguments: args.positional.map(\.literalValue),
                keywordArguments: args.keyword.map {
                    StaticCall.KeywordArgument(name: $0.name, value: $0.value.literalValue)
                })
            // only config() is evaluated while parsing: only its expressions and branches are kept
            if name == "config" {
                if site.arguments.contains(where: { $0 == nil })
                    || site.keywordArguments.contains(where: { $0.value == nil })
                {
                    site.expressions = args
                }
                if !branchGuards.isEmpty { site.guards = branchGuards }
            }
            callSites.append(site)
        }
        return .call(callee, args, offset: offset)
    }

    /// Parses call arguments after `(` up to and including `)`.
    mutating func parseArguments() throws -> ArgumentList {
        var args = ArgumentList()
        while !current.is(.op, ")") {
            if !(args.positional.isEmpty && args.keyword.isEmpty && args.star == nil && args.doubleStar == nil) {
                try expect(",")
                if current.is(.op, ")") { break }
            }
            if current.is(.op, "**") {
                _ = advance()
                args.doubleStar = try parseExpression()
            } else if current.is(.op, "*") {
                _ = advance()
                args.star = try parseExpression()
            } else if current.kind == .name, next.is(.op, "=") {
                let name = advance()
                _ = advance()
                args.keyword.append(KeywordArgument(name: name.value, value: try parseExpression()))
            } else {
                if !args.keyword.isEmpty {
                    throw error("positional argument follows keyword argument", at: current.offset)
                }
                args.positional.append(try parseExpression())
            }
            if current.kind == .eof || current.kind == .blockEnd || current.kind == .variableEnd {
                throw error("expected ')', got \(current.display)", at: current.offset)
            }
        }
        _ = advance()
        return args
    }

    /// Filters (`| name(args)`) and tests (`is [not] name args`) after an expression.
    mutating func parseFilterExpression(_ base: Expr) throws -> Expr {
        let saved = expressionDepth
        defer { expressionDepth = saved }
        var expr = base
        while true {
            if current.is(.op, "|") || current.is(.name, "is") || current.is(.op, "(") {
                try deeper(at: current.offset)
            }
            if current.is(.op, "|") {
                _ = advance()
                expr = try parseFilter(expr)
            } else if current.is(.name, "is") {
                _ = advance()
                var negated = false
                if current.is(.name, "not") { _ = advance(); negated = true }
                let name = try expectName("test name")
                var testName = name.value
                while current.is(.op, "."), next.kind == .name { _ = advance(); testName += "." + advance().value }
                var args = ArgumentList()
                if current.is(.op, "(") {
                    _ = advance()
                    args = try parseArguments()
                } else if startsTestArgument {
                    args.positional = [try parsePostfix(try parsePrimary())]
                }
                expr = .test(expr, name: testName, args, negated: negated, offset: name.offset)
            } else if current.is(.op, "(") {
                let open = advance()
                expr = makeCall(expr, try parseArguments(), offset: open.offset)
            } else {
                return expr
            }
        }
    }

    private var startsTestArgument: Bool {
        switch current.kind {
        case .string, .integer, .float: return true
        case .name: return !["else", "or", "and", "if", "in", "not", "is"].contains(current.value)
        case .op: return current.value == "[" || current.value == "{"
        default: return false
        }
    }

    /// Parses `name(.name)*[(args)]` after a `|`.
    mutating func parseFilter(_ base: Expr) throws -> Expr {
        let name = try expectName("filter name")
        var filterName = name.value
        while current.is(.op, "."), next.kind == .name { _ = advance(); filterName += "." + advance().value }
        var args = ArgumentList()
        if current.is(.op, "(") {
            _ = advance()
            args = try parseArguments()
        }
        return .filter(base, name: filterName, args, offset: name.offset)
    }

    /// Parses an assignment target: a name, `ns.attr`, or names separated by commas (optionally parenthesized).
    mutating func parseAssignTarget(allowTuple: Bool = true) throws -> AssignTarget {
        func single(_ p: inout TemplateParser) throws -> AssignTarget {
            if p.current.is(.op, "(") {
                _ = p.advance()
                let inner = try p.parseAssignTarget()
                try p.expect(")")
                return inner
            }
            let name = try p.expectName("a name to assign")
            if p.current.is(.op, ".") {
                _ = p.advance()
                let attr = try p.expectName("attribute name")
                return .attribute(name.value, attr.value, offset: name.offset)
            }
            return .name(name.value)
        }
        let first = try single(&self)
        guard allowTuple, current.is(.op, ",") else { return first }
        var items = [first]
        while skipOptional(",") {
            if current.is(.name, "in") || current.is(.op, "=") || current.is(.op, ")") { break }
            items.append(try single(&self))
        }
        return .tuple(items)
    }
}
