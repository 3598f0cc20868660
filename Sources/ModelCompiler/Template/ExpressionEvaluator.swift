/// Evaluation of expressions: names, access, calls, filters, tests and operators.
extension TemplateRenderer {
    func evaluate(_ expr: Expr) throws -> TemplateValue {
        if stack.exhausted { throw stackExhausted(at: expr.offset) }
        switch expr {
        case .constant(let v, _):
            return v
        case .name(let name, let offset):
            if let v = lookup(name) { return v }
            if context.strictUndefined {
                throw diagnostic("'\(name)' is undefined", at: offset, id: "template.undefined")
            }
            return .undefined("'\(name)' is undefined")
        case .attribute(let base, let name, let offset):
            let value = try evaluate(base)
            if case .undefined(let reason) = value {
                throw undefinedDiagnostic(reason, base)
            }
            return try attribute(of: value, name, offset: offset)
        case .item(let base, let key, let offset):
            let value = try evaluate(base)
            return try item(of: value, try evaluate(key), offset: offset)
        case .slice(let base, let start, let stop, let step, let offset):
            let value = try evaluate(base)
            return try slice(value, start.map(evaluate), stop.map(evaluate), step.map(evaluate), offset: offset)
        case .call(let callee, let args, let offset):
            return try evaluateCall(callee, args, offset: offset, caller: nil)
        case .filter(let base, let name, let args, let offset):
            let value = try evaluate(base)
            return try applyFilter(name, value, args, offset: offset)
        case .test(let base, let name, let args, let negated, let offset):
            let value = try evaluate(base)
            return .bool(try applyTest(name, value, args, offset: offset) != negated)
        case .binary(let op, let l, let r, let offset):
            let a = try evaluate(l), b = try evaluate(r)
            do {
                return try TemplateOperators.binary(op, a, b)
            } catch {
                throw convert(error, at: offset, id: "template.render")
            }
        case .negate(let inner, let offset):
            let v = try evaluate(inner)
            switch v.numericValue {
            case .int(let i)?:
                guard i != .min else { throw diagnostic(TemplateLimits.integerOverflow("-(\(i))").message, at: offset) }
                return .int(-i)
            case .double(let d)?: return .double(-d)
            default: throw diagnostic("bad operand type for unary -: '\(v.typeName)'", at: offset)
            }
        case .plus(let inner, _):
            return try evaluate(inner)
        case .not(let inner, _):
            return .bool(!(try evaluate(inner).isTruthy))
        case .and(let l, let r):
            let a = try evaluate(l)
            return a.isTruthy ? try evaluate(r) : a
        case .or(let l, let r):
            let a = try evaluate(l)
            return a.isTruthy ? a : try evaluate(r)
        case .compare(let first, let rest, let offset):
            var left = try evaluate(first)
            for (op, rightExpr) in rest {
                let right = try evaluate(rightExpr)
                let result: Bool
                do {
                    result = try TemplateOperators.compare(op, left, right)
                } catch {
                    throw convert(error, at: offset, id: "template.render")
                }
                if !result { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .conditional(let then, let condition, let otherwise):
            if try evaluate(condition).isTruthy { return try evaluate(then) }
            if let otherwise { return try evaluate(otherwise) }
            return .undefined("the inline if-expression evaluated to false and no else section was defined")
        case .list(let items, _):
            return .list(TemplateList(try items.map(evaluate)))
        case .tuple(let items, _):
            return .list(TemplateList(try items.map(evaluate), isTuple: true))
        case .dict(let pairs, _):
            var out: [(String, TemplateValue)] = []
            for (k, v) in pairs {
                let key = try evaluate(k)
                out.append((key.stringValue ?? key.description, try evaluate(v)))
            }
            return .dict(TemplateDict(out))
        }
    }

    /// Evaluates written arguments, expanding `*args` and `**kwargs`.
    func evaluateArguments(_ args: ArgumentList) throws -> ([TemplateValue], [String: TemplateValue], [String]) {
        var positional = try args.positional.map(evaluate)
        var keyword: [String: TemplateValue] = [:]
        var order: [String] = []
        for k in args.keyword {
            if keyword.updateValue(try evaluate(k.value), forKey: k.name) == nil { order.append(k.name) }
        }
        if let star = args.star {
            let v = try evaluate(star)
            guard case .list(let l) = v else { throw diagnostic("argument after * must be a list", at: star.offset) }
            positional += l.items
        }
        if let doubleStar = args.doubleStar {
            let v = try evaluate(doubleStar)
            guard case .dict(let d) = v else {
                throw diagnostic("argument after ** must be a mapping", at: doubleStar.offset)
            }
            for (k, value) in d.pairs where keyword.updateValue(value, forKey: k) == nil { order.append(k) }
        }
        return (positional, keyword, order)
    }

    func evaluateCall(
        _ calleeExpr: Expr, _ args: ArgumentList, offset: Int, caller: TemplateValue?
    ) throws -> TemplateValue {
        let calleeOffset = calleeExpr.offset
        if case .name("return", _) = calleeExpr, lookup("return") == nil || isBuiltinReturn {
            let (positional, _, _) = try evaluateArguments(args)
            throw MacroReturn(value: positional.first ?? .none, offset: calleeOffset, source: source)
        }
        let callee = try evaluate(calleeExpr)
        if case .undefined(let reason) = callee {
            throw undefinedDiagnostic(reason, calleeExpr)
        }
        let (positional, keyword, order) = try evaluateArguments(args)
        return try call(
            callee, positional: positional, keyword: keyword, keywordOrder: order, caller: caller,
            offset: calleeOffset)
    }

    /// An undefined value used where a value is required, underlining the name when it is one.
    func undefinedDiagnostic(_ reason: String, _ expr: Expr) -> Diagnostic {
        var d = diagnostic(reason, at: expr.offset, id: "template.undefined")
        if case .name(let n, _) = expr {
            d.length = n.count
            var candidates =
                Array(context.globals.keys) + Array(context.sharedGlobals.keys) + context.macros.names
                + Array(BuiltinGlobals.values.keys)
            candidates += context.macros.namespaceNames + Array(localMacros.keys)
            for scope in scopes { candidates += scope.keys }
            if let near = closestMatch(to: n, in: candidates.filter { $0 != n }),
                editDistance(near.lowercased(), n.lowercased()) <= max(1, n.count / 3)
            {
                d.hint = "did you mean '\(near)'?"
            }
        }
        return d
    }

    private var isBuiltinReturn: Bool {
        if case .function(let f)? = lookup("return"), f.name == "return" { return true }
        return false
    }

    func applyFilter(_ name: String, _ value: TemplateValue, _ args: ArgumentList, offset: Int) throws -> TemplateValue
    {
        guard let filter = context.filters[name] else {
            let hint = closestMatch(to: name, in: context.filters.keys).map { "did you mean '\($0)'?" }
            throw Diagnostic.error(
                "template.filter", "no filter named '\(name)'", at: source.location(offset),
                length: name.count, hint: hint)
        }
        let (positional, keyword, order) = try evaluateArguments(args)
        do {
            return try filter.body(value, arguments(positional, keyword, order, caller: nil, offset: offset))
        } catch {
            throw convert(error, at: offset, id: "template.filter")
        }
    }

    func applyTest(_ name: String, _ value: TemplateValue, _ args: ArgumentList, offset: Int) throws -> Bool {
        guard let test = context.tests[name] else {
            let hint = closestMatch(to: name, in: context.tests.keys).map { "did you mean '\($0)'?" }
            throw Diagnostic.error(
                "template.test", "no test named '\(name)'", at: source.location(offset), length: name.count, hint: hint)
        }
        let (positional, keyword, order) = try evaluateArguments(args)
        do {
            return try test.body(value, arguments(positional, keyword, order, caller: nil, offset: offset))
        } catch {
            throw convert(error, at: offset, id: "template.test")
        }
    }

    /// `value.name`: methods and attributes, then dict keys.
    func attribute(of value: TemplateValue, _ name: String, offset: Int) throws -> TemplateValue {
        switch value {
        case .undefined(let reason):
            throw diagnostic(reason, at: offset, id: "template.undefined")
        case .dict(let d):
            if !d.isNamespace, let method = ValueMethods.method(of: value, name) { return method }
            return d[name] ?? .undefined("'dict object' has no attribute '\(name)'")
        case .object(let o):
            return o.attribute(name) ?? .undefined("'\(o.name)' object has no attribute '\(name)'")
        case .list(let l) where l.fieldNames?.contains(name) == true:
            let items = l.items, index = l.fieldNames!.firstIndex(of: name)!
            return index < items.count ? items[index] : .undefined("tuple has no field '\(name)'")
        case .macro(let m):
            if name == "name" { return .string(m.definition.name) }
            return .undefined("'Macro' object has no attribute '\(name)'")
        default:
            if let method = ValueMethods.method(of: value, name) { return method }
            return .undefined("'\(value.typeName) object' has no attribute '\(name)'")
        }
    }

    /// `value[key]`: list/string indexes, dict keys, then attributes.
    func item(of value: TemplateValue, _ key: TemplateValue, offset: Int) throws -> TemplateValue {
        switch value {
        case .undefined(let reason):
            throw diagnostic(reason, at: offset, id: "template.undefined")
        case .list(let l):
            if case .string(let name) = key, let names = l.fieldNames, let index = names.firstIndex(of: name) {
                let items = l.items
                return index < items.count ? items[index] : .undefined("tuple has no field '\(name)'")
            }
            guard case .int(var i) = key.numericValue ?? .none else {
                return .undefined("list indices must be integers, not \(key.typeName)")
            }
            let items = l.items
            if i < 0 { i += items.count }
            return i >= 0 && i < items.count ? items[i] : .undefined("list index out of range")
        case .string(let s):
            guard case .int(var i) = key.numericValue ?? .none else {
                return .undefined("string indices must be integers")
            }
            let chars = Array(s)
            if i < 0 { i += chars.count }
            return i >= 0 && i < chars.count ? .string(String(chars[i])) : .undefined("string index out of range")
        case .dict(let d):
            let k = key.stringValue ?? key.description
            return d[k] ?? .undefined("'dict object' has no attribute '\(k)'")
        case .object(let o):
            let k = key.stringValue ?? key.description
            return o.attribute(k) ?? .undefined("'\(o.name)' object has no attribute '\(k)'")
        default:
            return .undefined("'\(value.typeName) object' has no attribute '\(key.description)'")
        }
    }

    func slice(
        _ value: TemplateValue, _ start: TemplateValue?, _ stop: TemplateValue?, _ step: TemplateValue?, offset: Int
    ) throws -> TemplateValue {
        func int(_ v: TemplateValue?) throws -> Int? {
            guard let v, !v.isNone else { return nil }
            guard case .int(let i) = v.numericValue ?? .none else {
                throw diagnostic("slice indices must be integers or None", at: offset)
            }
            return i
        }
        let s = try int(start), e = try int(stop), st = try int(step) ?? 1
        guard st != 0 else { throw diagnostic("slice step cannot be zero", at: offset) }
        switch value {
        case .list(let l):
            return .list(
                TemplateList(Self.sliceIndices(count: l.count, s, e, st).map { l.items[$0] }, isTuple: l.isTuple))
        case .string(let str):
            let chars = Array(str)
            return .string(String(Self.sliceIndices(count: chars.count, s, e, st).map { chars[$0] }))
        case .undefined(let reason):
            throw diagnostic(reason, at: offset, id: "template.undefined")
        default:
            throw diagnostic("'\(value.typeName)' object is not subscriptable", at: offset)
        }
    }

    /// Python slice semantics.
    static func sliceIndices(count: Int, _ start: Int?, _ stop: Int?, _ step: Int) -> [Int] {
        func clamp(_ v: Int?, _ defaultValue: Int, low: Int, high: Int) -> Int {
            guard var v else { return defaultValue }
            if v < 0 { v = v < -count ? low : v + count }
            return min(max(v, low), high)
        }
        var out: [Int] = []
        if step > 0 {
            var i = clamp(start, 0, low: 0, high: count)
            let end = clamp(stop, count, low: 0, high: count)
            while i < end {
                out.append(i)
                let (next, overflow) = i.addingReportingOverflow(step)
                if overflow { break }
                i = next
            }
        } else {
            var i = clamp(start, count - 1, low: -1, high: count - 1)
            let end = clamp(stop, -1, low: -1, high: count - 1)
            while i > end {
                out.append(i)
                let (next, overflow) = i.addingReportingOverflow(step)
                if overflow { break }
                i = next
            }
        }
        return out
    }
}
