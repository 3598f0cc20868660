/// Visits every expression of a syntax tree in source order (including nested sub-expressions).
enum SyntaxWalker {
    static func visit(_ nodes: [Node], _ body: (Expr) -> Void) {
        for node in nodes { visit(node, body) }
    }

    static func visit(_ node: Node, _ body: (Expr) -> Void) {
        switch node {
        case .text, .docs, .loopControl: break
        case .snapshot(_, let b): visit(b, body)
        case .output(let e), .do(let e): visit(e, body)
        case .ifBlock(let n):
            for branch in n.branches {
                visit(branch.condition, body)
                visit(branch.body, body)
            }
            if let o = n.otherwise { visit(o, body) }
        case .forLoop(let n):
            visit(n.iterable, body)
            if let c = n.condition { visit(c, body) }
            visit(n.body, body)
            if let o = n.otherwise { visit(o, body) }
        case .set(let n): visit(n.value, body)
        case .setBlock(let n):
            if let f = n.filter { visit(f, body) }
            visit(n.body, body)
        case .macro(let d): visit(d, body)
        case .callBlock(let n):
            visit(.call(n.callee, n.arguments, offset: n.offset), body)
            visit(n.caller, body)
        case .filterBlock(let n):
            visit(n.filter, body)
            visit(n.body, body)
        }
    }

    static func visit(_ definition: MacroSyntax, _ body: (Expr) -> Void) {
        for p in definition.parameters { if let d = p.defaultValue { visit(d, body) } }
        visit(definition.body, body)
    }

    static func visit(_ args: ArgumentList, _ body: (Expr) -> Void) {
        for p in args.positional { visit(p, body) }
        for k in args.keyword { visit(k.value, body) }
        if let s = args.star { visit(s, body) }
        if let s = args.doubleStar { visit(s, body) }
    }

    static func visit(_ expr: Expr, _ body: (Expr) -> Void) {
        body(expr)
        switch expr {
        case .constant, .name: break
        case .attribute(let b, _, _): visit(b, body)
        case .item(let b, let k, _):
            visit(b, body)
            visit(k, body)
        case .slice(let b, let s, let e, let st, _):
            visit(b, body)
            for x in [s, e, st] { if let x { visit(x, body) } }
        case .call(let c, let args, _):
            visit(c, body)
            visit(args, body)
        case .filter(let b, _, let args, _), .test(let b, _, let args, _, _):
            visit(b, body)
            visit(args, body)
        case .binary(_, let a, let b, _), .and(let a, let b), .or(let a, let b):
            visit(a, body)
            visit(b, body)
        case .negate(let a, _), .plus(let a, _), .not(let a, _): visit(a, body)
        case .compare(let a, let rest, _):
            visit(a, body)
            for (_, r) in rest { visit(r, body) }
        case .conditional(let t, let c, let o):
            visit(t, body)
            visit(c, body)
            if let o { visit(o, body) }
        case .list(let items, _), .tuple(let items, _):
            for i in items { visit(i, body) }
        case .dict(let pairs, _):
            for (k, v) in pairs {
                visit(k, body)
                visit(v, body)
            }
        }
    }
}
