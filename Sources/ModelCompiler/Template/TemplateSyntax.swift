/// The text of one template file with a line table, shared by its syntax tree and source maps.
final class TemplateSource: Sendable {
    let file: String
    let text: String
    /// UTF-8 offsets where each line starts.
    let lineStarts: [Int]

    init(file: String, text: String) {
        self.file = file
        self.text = text
        var starts = [0]
        var i = 0
        for byte in text.utf8 {
            i += 1
            if byte == UInt8(ascii: "\n") { starts.append(i) }
        }
        lineStarts = starts
    }

    /// The 1-based line and column (in characters) of a UTF-8 offset.
    func location(_ offset: Int) -> SourceLocation {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: lineStarts[lo])
        var column = 1, i = lineStarts[lo]
        var index = start
        while i < offset, index < utf8.endIndex {
            if utf8[index] & 0xC0 != 0x80 { column += 1 }
            i += 1
            index = utf8.index(after: index)
        }
        return SourceLocation(file: file, line: lo + 1, column: column)
    }

    /// The text between two UTF-8 offsets.
    func slice(_ start: Int, _ end: Int) -> String {
        let utf8 = text.utf8
        let a = utf8.index(utf8.startIndex, offsetBy: start)
        let b = utf8.index(a, offsetBy: end - start)
        return String(text[a..<b])
    }
}

/// A statement of the syntax tree.
indirect enum Node: Sendable {
    /// Literal text and its UTF-8 offset in the template.
    case text(String, offset: Int)
    /// `{{ expression }}`.
    case output(Expr)
    case ifBlock(IfNode)
    case forLoop(ForNode)
    case set(SetNode)
    case setBlock(SetBlockNode)
    case macro(MacroSyntax)
    case callBlock(CallBlockNode)
    case filterBlock(FilterBlockNode)
    case `do`(Expr)
    case docs(DocBlock, body: [Node])
    case snapshot(SnapshotBlock, body: [Node])
    /// `{% break %}` or `{% continue %}` (Jinja's loopcontrols extension, which dbt enables).
    case loopControl(isBreak: Bool, offset: Int)
}

/// A binary operator.
enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**"
    case concat = "~"
}

/// A comparison operator.
enum CompareOperator: String, Sendable {
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=", `in` = "in", notIn = "not in"
}

/// A keyword argument in a call.
struct KeywordArgument: Sendable {
    let name: String
    let value: Expr
}

/// The arguments written in a call, filter or test.
struct ArgumentList: Sendable {
    var positional: [Expr] = []
    var keyword: [KeywordArgument] = []
    var star: Expr?
    var doubleStar: Expr?
    static let empty = ArgumentList()
}

/// An expression; every case keeps the UTF-8 offset where it starts for diagnostics.
indirect enum Expr: Sendable {
    case constant(TemplateValue, offset: Int)
    case name(String, offset: Int)
    case attribute(Expr, String, offset: Int)
    case item(Expr, Expr, offset: Int)
    case slice(Expr, start: Expr?, stop: Expr?, step: Expr?, offset: Int)
    case call(Expr, ArgumentList, offset: Int)
    case filter(Expr, name: String, ArgumentList, offset: Int)
    case test(Expr, name: String, ArgumentList, negated: Bool, offset: Int)
    case binary(BinaryOperator, Expr, Expr, offset: Int)
    case negate(Expr, offset: Int)
    case plus(Expr, offset: Int)
    case not(Expr, offset: Int)
    case and(Expr, Expr)
    case or(Expr, Expr)
    case compare(Expr, [(CompareOperator, Expr)], offset: Int)
    case conditional(then: Expr, condition: Expr, otherwise: Expr?)
    case list([Expr], offset: Int)
    case tuple([Expr], offset: Int)
    case dict([(Expr, Expr)], offset: Int)

    /// Where the expression starts.
    var offset: Int {
        switch self {
        case .constant(_, let o), .name(_, let o), .attribute(_, _, let o), .item(_, _, let o),
            .slice(_, _, _, _, let o), .call(_, _, let o), .filter(_, _, _, let o), .test(_, _, _, _, let o),
            .binary(_, _, _, let o), .negate(_, let o), .plus(_, let o), .not(_, let o), .compare(_, _, let o),
            .list(_, let o), .tuple(_, let o), .dict(_, let o):
            return o
        case .and(let a, _), .or(let a, _): return a.offset
        case .conditional(let then, _, _): return then.offset
        }
    }

    /// Where the whole expression starts (its leftmost operand).
    var start: Int {
        switch self {
        case .attribute(let b, _, _), .item(let b, _, _), .slice(let b, _, _, _, _), .call(let b, _, _),
            .filter(let b, _, _, _), .test(let b, _, _, _, _), .binary(_, let b, _, _), .compare(let b, _, _),
            .and(let b, _), .or(let b, _), .conditional(let b, _, _):
            return b.start
        default: return offset
        }
    }

    /// The value when the expression is plain literal data, else nil.
    var literalValue: JSONValue? {
        switch self {
        case .constant(let v, _): return v.jsonValue
        case .list(let items, _), .tuple(let items, _):
            var out: [JSONValue] = []
            for item in items {
                guard let v = item.literalValue else { return nil }
                out.append(v)
            }
            return .array(out)
        case .dict(let pairs, _):
            var out: [String: JSONValue] = [:]
            for (k, v) in pairs {
                guard case .string(let key)? = k.literalValue, let value = v.literalValue else { return nil }
                out[key] = value
            }
            return .object(out)
        case .negate(let inner, _):
            switch inner.literalValue {
            case .int(let i)?: return .int(-i)
            case .double(let d)?: return .double(-d)
            default: return nil
            }
        default: return nil
        }
    }
}

/// Where an assignment (`set`, `for`) stores values.
indirect enum AssignTarget: Sendable {
    case name(String)
    /// `ns.attr` on a namespace.
    case attribute(String, String, offset: Int)
    case tuple([AssignTarget])

    /// Every plain name assigned.
    var names: [String] {
        switch self {
        case .name(let n): return [n]
        case .attribute: return []
        case .tuple(let ts): return ts.flatMap(\.names)
        }
    }
}

/// A parameter of a macro and its default value.
struct MacroParameter: Sendable {
    let name: String
    let defaultValue: Expr?
}

/// A `{% macro %}`, `{% test %}` or `{% call %}` body as a callable definition.
struct MacroSyntax: Sendable {
    let name: String
    let parameters: [MacroParameter]
    let body: [Node]
    let source: TemplateSource
    let offset: Int
    let isTest: Bool
    /// Whether the body uses `varargs`, `kwargs` and `caller` (then extra arguments are accepted).
    let usesVarargs: Bool
    let usesKwargs: Bool
    let usesCaller: Bool
    /// The whole block's text.
    let sourceText: String
}
