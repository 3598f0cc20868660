import Foundation

/// Python semantics of arithmetic and comparison on template values.
enum TemplateOperators {
    static func binary(_ op: BinaryOperator, _ a: TemplateValue, _ b: TemplateValue) throws -> TemplateValue {
        if op == .concat { return .string(try concatenated(a.description, b.description)) }
        if case .undefined(let reason) = a { throw TemplateError(reason) }
        if case .undefined(let reason) = b { throw TemplateError(reason) }
        switch (op, a, b) {
        case (.add, .string(let x), .string(let y)): return .string(try concatenated(x, y))
        case (.add, .list(let x), .list(let y)):
            try TemplateLimits.checkItems(x.count + y.count)
            return .list(TemplateList(x.items + y.items, isTuple: x.isTuple))
        case (.multiply, .string(let s), _), (.multiply, _, .string(let s)):
            guard case .int(let n)? = (a.stringValue == nil ? a : b).numericValue else { break }
            return .string(try TemplateLimits.repeated(s, n))
        case (.multiply, .list(let l), _):
            guard case .int(let n)? = b.numericValue else { break }
            return .list(TemplateList(try TemplateLimits.repeated(l.items, n), isTuple: l.isTuple))
        case (.modulo, .string(let format), _):
            let args: [TemplateValue]
            if case .list(let l) = b, l.isTuple { args = l.items } else { args = [b] }
            return .string(try percentFormat(format, args, mapping: b))
        default: break
        }
        // Native values with Python's `__add__`/`__sub__` (dates and timedeltas).
        if op == .add || op == .subtract, case .object(let object) = a,
            case .function(let method)? = object.attribute(op == .add ? "__add__" : "__sub__")
        {
            return try method(CallArguments(positional: [b]))
        }
        if op == .add, case .object(let object) = b, case .function(let method)? = object.attribute("__add__") {
            return try method(CallArguments(positional: [a]))
        }
        guard let x = a.numericValue, let y = b.numericValue else {
            throw TemplateError(
                "unsupported operand type(s) for \(op.rawValue): '\(a.typeName)' and '\(b.typeName)'")
        }
        if case .int(let i) = x, case .int(let j) = y {
            switch op {
            case .add:
                let (r, o) = i.addingReportingOverflow(j)
                return o ? .double(Double(i) + Double(j)) : .int(r)
            case .subtract:
                let (r, o) = i.subtractingReportingOverflow(j)
                return o ? .double(Double(i) - Double(j)) : .int(r)
            case .multiply:
                let (r, o) = i.multipliedReportingOverflow(by: j)
                return o ? .double(Double(i) * Double(j)) : .int(r)
            case .divide:
                guard j != 0 else { throw TemplateError("division by zero") }
                return .double(Double(i) / Double(j))
            case .floorDivide:
                guard j != 0 else { throw TemplateError("integer division or modulo by zero") }
                // Int.min // -1 is the only quotient that overflows (and it is exact: no flooring)
                let (q, overflow) = i.dividedReportingOverflow(by: j)
                if overflow { throw TemplateLimits.integerOverflow("\(i) // \(j)") }
                return .int((i % j != 0 && (i < 0) != (j < 0)) ? q - 1 : q)
            case .modulo:
                guard j != 0 else { throw TemplateError("integer division or modulo by zero") }
                // Int.min % -1 overflows in Swift; Python's answer is 0
                let (r, overflow) = i.remainderReportingOverflow(dividingBy: j)
                if overflow { return .int(0) }
                return .int(r != 0 && (r < 0) != (j < 0) ? r + j : r)
            case .power:
                if j >= 0 {
                    var result = 1, overflow = false
                    for _ in 0..<min(j, 64) {
                        let (r, o) = result.multipliedReportingOverflow(by: i)
                        if o { overflow = true; break }
                        result = r
                    }
                    if !overflow && (j <= 64 || i == 0 || i == 1) { return .int(result) }
                }
                return .double(pow(Double(i), Double(j)))
            case .concat: break
            }
        }
        let p = x.doubleValue!, q = y.doubleValue!
        switch op {
        case .add: return .double(p + q)
        case .subtract: return .double(p - q)
        case .multiply: return .double(p * q)
        case .divide:
            guard q != 0 else { throw TemplateError("float division by zero") }
            return .double(p / q)
        case .floorDivide:
            guard q != 0 else { throw TemplateError("float floor division by zero") }
            return .double((p / q).rounded(.down))
        case .modulo:
            guard q != 0 else { throw TemplateError("float modulo") }
            let r = p.truncatingRemainder(dividingBy: q)
            return .double(r != 0 && (r < 0) != (q < 0) ? r + q : r)
        case .power: return .double(pow(p, q))
        case .concat: return .string(a.description + b.description)
        }
    }

    /// `x + y` for texts, within the size limit.
    static func concatenated(_ x: String, _ y: String) throws -> String {
        try TemplateLimits.checkText(x.utf8.count + y.utf8.count)
        return x + y
    }

    static func compare(_ op: CompareOperator, _ a: TemplateValue, _ b: TemplateValue) throws -> Bool {
        switch op {
        case .eq: return a == b
        case .ne: return a != b
        case .in: return try contains(b, a)
        case .notIn: return !(try contains(b, a))
        case .lt: return try order(a, b) < 0
        case .le: return try order(a, b) <= 0
        case .gt: return try order(a, b) > 0
        case .ge: return try order(a, b) >= 0
        }
    }

    /// Python `needle in container`.
    static func contains(_ container: TemplateValue, _ needle: TemplateValue) throws -> Bool {
        switch container {
        case .string(let s):
            guard case .string(let n) = needle else {
                throw TemplateError("'in <string>' requires string as left operand, not \(needle.typeName)")
            }
            return n.isEmpty || s.contains(n)
        case .list(let l): return l.items.contains(needle)
        case .dict(let d): return d[needle.stringValue ?? needle.description] != nil
        case .undefined: return false
        case .object(let o): return o.attribute(needle.stringValue ?? needle.description) != nil
        default: throw TemplateError("argument of type '\(container.typeName)' is not iterable")
        }
    }

    /// Three-way ordering like Python's `<`; errors for unorderable types.
    static func order(_ a: TemplateValue, _ b: TemplateValue, depth: Int = 0) throws -> Int {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.list(let x), .list(let y)):
            guard depth < TemplateLimits.maximumValueDepth else {
                throw TemplateError("maximum recursion depth exceeded in comparison")
            }
            let xs = x.items, ys = y.items
            for (p, q) in zip(xs, ys) {
                let c = try order(p, q, depth: depth + 1)
                if c != 0 { return c }
            }
            return xs.count == ys.count ? 0 : (xs.count < ys.count ? -1 : 1)
        default:
            guard let x = a.numericValue, let y = b.numericValue else {
                throw TemplateError("'<' not supported between instances of '\(a.typeName)' and '\(b.typeName)'")
            }
            if case .int(let i) = x, case .int(let j) = y { return i == j ? 0 : (i < j ? -1 : 1) }
            let p = x.doubleValue!, q = y.doubleValue!
            return p == q ? 0 : (p < q ? -1 : 1)
        }
    }

    /// Python's printf-style `format % args` for `%s %d %i %f %r %x %%`, with width and precision.
    static func percentFormat(_ format: String, _ args: [TemplateValue], mapping: TemplateValue) throws -> String {
        var out = ""
        var argIndex = 0
        var chars = format.makeIterator()
        func nextArg() throws -> TemplateValue {
            guard argIndex < args.count else { throw TemplateError("not enough arguments for format string") }
            defer { argIndex += 1 }
            return args[argIndex]
        }
        while let c = chars.next() {
            guard c == "%" else { out.append(c); continue }
            var spec = ""
            var key: String?
            var conversion: Character?
            while let d = chars.next() {
                if d == "(" && key == nil && spec.isEmpty {
                    var k = ""
                    while let e = chars.next(), e != ")" { k.append(e) }
                    key = k
                    continue
                }
                if "-+ #0123456789.".contains(d) { spec.append(d); continue }
                conversion = d
                break
            }
            guard let conversion else { throw TemplateError("incomplete format") }
            if conversion == "%" { out.append("%"); continue }
            let value: TemplateValue
            if let key {
                guard case .dict(let d) = mapping, let v = d[key] else {
                    throw TemplateError("format requires a mapping")
                }
                value = v
            } else {
                value = try nextArg()
            }
            out += try formatOne(value, spec: spec, conversion: conversion)
        }
        if argIndex < args.count {
            switch mapping {
            case .dict: break
            case .list(let l) where !l.isTuple: break
            default: throw TemplateError("not all arguments converted during string formatting")
            }
        }
        return out
    }

    /// Most digits after the point a float format may ask for (C's printf handles a few thousand well).
    static let maximumFloatPrecision = 1_000

    /// A width or precision written in a format, or an error when it is over `limit`.
    static func formatNumber(_ digits: Substring?, _ what: String, limit: Int) throws -> Int? {
        guard let digits, !digits.isEmpty else { return nil }
        guard let n = Int(digits), n >= 0 else {
            guard digits.allSatisfy(\.isNumber) else { throw TemplateError("invalid format \(what) '\(digits)'") }
            throw TemplateError("\(what) too big")
        }
        guard n <= limit else { throw TemplateError("\(what) too big") }
        return n
    }

    static func formatOne(_ value: TemplateValue, spec: String, conversion: Character) throws -> String {
        var flags = Substring(spec)
        var leftAlign = false, zeroPad = false, plus = false
        while let f = flags.first, "-+ #0".contains(f) {
            if f == "-" { leftAlign = true }
            if f == "0" { zeroPad = true }
            if f == "+" { plus = true }
            flags = flags.dropFirst()
        }
        let parts = flags.split(separator: ".", omittingEmptySubsequences: false)
        let width = try formatNumber(parts.first, "width", limit: TemplateLimits.maximumTextBytes) ?? 0
        let precision =
            parts.count > 1 ? try formatNumber(parts[1], "precision", limit: TemplateLimits.maximumTextBytes) ?? 0 : nil
        var body: String
        switch conversion {
        case "s":
            body = value.description
            if let precision { body = String(body.prefix(precision)) }
        case "r": body = value.repr
        case "d", "i":
            let n: Int
            switch value.numericValue {
            case .int(let i)?: n = i
            case .double(let d)?: n = try TemplateLimits.integer(d)
            default: throw TemplateError("%d format: a number is required, not \(value.typeName)")
            }
            body = (plus && n >= 0 ? "+" : "") + String(n)
        case "f", "F", "e", "g":
            guard let d = value.doubleValue else { throw TemplateError("must be real number, not \(value.typeName)") }
            let digits = precision ?? 6
            guard digits <= maximumFloatPrecision else {
                throw TemplateError("precision too big: \(digits) is over \(maximumFloatPrecision)")
            }
            body = (plus && d >= 0 ? "+" : "") + String(format: "%.\(digits)\(conversion)", d)
        case "x", "X", "o":
            guard case .int(let n)? = value.numericValue else {
                throw TemplateError("%\(conversion) format: an integer is required, not \(value.typeName)")
            }
            body = String(n, radix: conversion == "o" ? 8 : 16, uppercase: conversion == "X")
        default: throw TemplateError("unsupported format character '\(conversion)'")
        }
        if body.count < width {
            let pad = String(
                repeating: zeroPad && !leftAlign && conversion != "s" ? "0" : " ", count: width - body.count)
            body = leftAlign ? body + pad : pad + body
        }
        return body
    }
}
