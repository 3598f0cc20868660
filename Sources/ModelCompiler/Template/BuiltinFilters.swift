import Foundation

/// The built-in filters, registered through the same `TemplateFilter` API that users get.
enum BuiltinFilters {
    static let all: [String: TemplateFilter] = {
        var filters: [String: TemplateFilter] = [:]
        for filter in stringFilters + numberFilters + CollectionFilters.all { filters[filter.name] = filter }
        filters["d"] = TemplateFilter(name: "d", filters["default"]!.body)
        filters["count"] = TemplateFilter(name: "count", filters["length"]!.body)
        return filters
    }()

    static func text(_ v: TemplateValue) -> String { v.description }

    static func string(_ args: CallArguments, _ index: Int, _ name: String, default d: String) throws -> String {
        guard let v = args.argument(index, name) else { return d }
        guard case .string(let s) = v else {
            throw TemplateError("argument '\(name)' must be a string, not \(v.typeName)")
        }
        return s
    }

    static func int(_ args: CallArguments, _ index: Int, _ name: String, default d: Int) throws -> Int {
        guard let v = args.argument(index, name) else { return d }
        guard case .int(let i) = v.numericValue ?? .none else {
            throw TemplateError("argument '\(name)' must be an integer, not \(v.typeName)")
        }
        return i
    }

    static func bool(_ args: CallArguments, _ index: Int, _ name: String) -> Bool {
        args.argument(index, name)?.isTruthy ?? false
    }

    static func title(_ s: String) -> String {
        var out = ""
        var atStart = true
        for c in s {
            if c.isWhitespace || "-({[<".contains(c) {
                out.append(c)
                atStart = true
            } else {
                out += atStart ? c.uppercased() : c.lowercased()
                atStart = false
            }
        }
        return out
    }

    static func htmlEscape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func capitalize(_ s: String) -> String {
        guard let first = s.first else { return s }
        return first.uppercased() + s.dropFirst().lowercased()
    }

    static func replace(_ s: String, _ old: String, _ new: String, count: Int?) throws -> String {
        if new.utf8.count > old.utf8.count {
            // the result grows: check its size before building it
            let found = old.isEmpty ? s.count + 1 : s.components(separatedBy: old).count - 1
            let times = min(found, count ?? found)
            let (growth, overflow) = (new.utf8.count - old.utf8.count).multipliedReportingOverflow(by: times)
            try TemplateLimits.checkText(overflow ? Int.max : s.utf8.count + growth)
        }
        guard let count else {
            if old.isEmpty { return new + s.map { String($0) + new }.joined() }
            return s.replacingOccurrences(of: old, with: new)
        }
        var out = "", rest = Substring(s), done = 0
        while done < count, !old.isEmpty, let r = rest.range(of: old) {
            out += rest[..<r.lowerBound] + new
            rest = rest[r.upperBound...]
            done += 1
        }
        return out + rest
    }

    static let stringFilters: [TemplateFilter] = [
        TemplateFilter(name: "upper") { v, _ in .string(text(v).uppercased()) },
        TemplateFilter(name: "lower") { v, _ in .string(text(v).lowercased()) },
        TemplateFilter(name: "title") { v, _ in .string(title(text(v))) },
        TemplateFilter(name: "capitalize") { v, _ in .string(capitalize(text(v))) },
        TemplateFilter(name: "trim") { v, a in
            .string(ValueMethods.strip(text(v), leading: true, trailing: true, chars: ValueMethods.stripSet(a)))
        },
        TemplateFilter(name: "string") { v, _ in .string(text(v)) },
        TemplateFilter(name: "safe") { v, _ in v },
        TemplateFilter(name: "pprint") { v, _ in .string(v.repr) },
        TemplateFilter(name: "escape") { v, _ in .string(htmlEscape(text(v))) },
        TemplateFilter(name: "e") { v, _ in .string(htmlEscape(text(v))) },
        TemplateFilter(name: "center") { v, a in
            let s = text(v), width = try int(a, 0, "width", default: 80)
            guard s.count < width else { return .string(s) }
            // Python's str.center puts the extra space on the right when the margin is odd and the length even
            let total = width - s.count
            try TemplateLimits.checkText(s.utf8.count + total)
            let left = total / 2 + (total & width & 1)
            return .string(try TemplateLimits.spaces(left) + s + TemplateLimits.spaces(total - left))
        },
        TemplateFilter(name: "attr") { v, a in
            let name = try string(a, 0, "name", default: "")
            switch v {
            case .dict:
                // attributes only, not keys (Jinja's `attr` uses getattr)
                return ValueMethods.method(of: v, name) ?? .undefined("'dict object' has no attribute '\(name)'")
            case .object(let o): return o.attribute(name) ?? .undefined("'\(o.name)' object has no attribute '\(name)'")
            default: return .undefined("'\(v.typeName) object' has no attribute '\(name)'")
            }
        },
        TemplateFilter(name: "as_text") { v, _ in .string(text(v)) },
        TemplateFilter(name: "replace") { v, a in
            let old = try string(a, 0, "old", default: ""), new = try string(a, 1, "new", default: "")
            guard a.argument(0, "old") != nil, a.argument(1, "new") != nil else {
                throw TemplateError("replace() requires the 'old' and 'new' arguments")
            }
            let count = a.argument(2, "count").flatMap { $0.isNone ? nil : $0.intValue }
            return .string(try replace(text(v), old, new, count: count))
        },
        TemplateFilter(name: "truncate") { v, a in
            let s = Array(text(v))
            let length = try int(a, 0, "length", default: 255)
            let killwords = bool(a, 1, "killwords")
            let end = try string(a, 2, "end", default: "...")
            let leeway = try int(a, 3, "leeway", default: 5)
            guard length >= end.count else { throw TemplateError("expected length >= \(end.count), got \(length)") }
            guard leeway >= 0 else { throw TemplateError("expected leeway >= 0, got \(leeway)") }
            // written as a difference: `length + leeway` overflows for a length near Int.max
            if s.count <= length || s.count - length <= leeway { return .string(String(s)) }
            let head = String(s[..<(length - end.count)])
            if killwords { return .string(head + end) }
            if let space = head.lastIndex(of: " ") { return .string(String(head[..<space]) + end) }
            return .string(head + end)
        },
        TemplateFilter(name: "wordcount") { v, _ in
            var count = 0, inWord = false
            for c in text(v) {
                let isWord = c.isLetter || c.isNumber || c == "_"
                if isWord && !inWord { count += 1 }
                inWord = isWord
            }
            return .int(count)
        },
        TemplateFilter(name: "indent") { v, a in
            let indention: String
            switch a.argument(0, "width") {
            case .string(let s)?: indention = s
            case let w?:
                guard case .int(let n)? = w.numericValue else {
                    throw TemplateError("indent width must be an integer or string")
                }
                indention = try TemplateLimits.spaces(n)
            case nil: indention = "    "
            }
            let first = bool(a, 1, "first"), blank = bool(a, 2, "blank")
            let s = text(v) + "\n"
            var lines = s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines.removeLast()
            let (added, overflow) = indention.utf8.count.multipliedReportingOverflow(by: lines.count + 1)
            try TemplateLimits.checkText(overflow ? Int.max : s.utf8.count + added)
            var rv: String
            if blank {
                rv = lines.joined(separator: "\n" + indention)
            } else {
                rv = lines.isEmpty ? "" : lines.removeFirst()
                if !lines.isEmpty {
                    rv += "\n" + lines.map { $0.isEmpty ? $0 : indention + $0 }.joined(separator: "\n")
                }
            }
            if first { rv = indention + rv }
            return .string(rv)
        },
        TemplateFilter(name: "format") { v, a in
            if !a.keyword.isEmpty, a.positional.isEmpty {
                let mapping = TemplateValue.dict(
                    TemplateDict(a.keywordOrder.compactMap { k in a.keyword[k].map { (k, $0) } }))
                return .string(try TemplateOperators.percentFormat(text(v), [], mapping: mapping))
            }
            let tuple = TemplateValue.list(TemplateList(a.positional, isTuple: true))
            return .string(try TemplateOperators.percentFormat(text(v), a.positional, mapping: tuple))
        },
        TemplateFilter(name: "tojson") { v, a in
            .string(try JSONText.encode(v, indent: a.argument(0, "indent")?.intValue, htmlSafe: true))
        },
        TemplateFilter(name: "as_bool") { v, _ in
            if case .string(let s) = v {
                switch s.trimmingCharacters(in: .whitespaces) {
                case "True", "true": return .bool(true)
                case "False", "false": return .bool(false)
                default: return v
                }
            }
            return v
        },
        TemplateFilter(name: "as_number") { v, _ in
            if case .string(let s) = v {
                let t = s.trimmingCharacters(in: .whitespaces)
                if let i = Int(t) { return .int(i) }
                if let d = Double(t) { return .double(d) }
            }
            return v
        },
        TemplateFilter(name: "as_native") { v, _ in
            guard case .string(let s) = v else { return v }
            return nativeValue(s) ?? v
        },
    ]

    /// Evaluates a string holding a Python literal (`[1, 'a']`, `{'k': True}`), or nil.
    static func nativeValue(_ s: String) -> TemplateValue? {
        guard !s.contains("}}"), !s.contains("{%"),
            let t = try? Template.parse("{{ \(s) }}", file: "<as_native>"),
            t.nodes.count == 1, case .output(let expr) = t.nodes[0], let json = expr.literalValue
        else { return nil }
        return literalValue(expr) ?? TemplateValue(json)
    }

    /// Keeps tuple-ness and key order of a literal.
    private static func literalValue(_ expr: Expr) -> TemplateValue? {
        switch expr {
        case .constant(let v, _): return v
        case .list(let items, _), .tuple(let items, _):
            var out: [TemplateValue] = []
            for i in items { guard let v = literalValue(i) else { return nil }; out.append(v) }
            if case .tuple = expr { return .list(TemplateList(out, isTuple: true)) }
            return .list(TemplateList(out))
        case .dict(let pairs, _):
            var out: [(String, TemplateValue)] = []
            for (k, v) in pairs {
                guard case .string(let key)? = literalValue(k), let value = literalValue(v) else { return nil }
                out.append((key, value))
            }
            return .dict(TemplateDict(out))
        default:
            return expr.literalValue.map(TemplateValue.init)
        }
    }

    /// Whether `t` is an optionally signed run of digits of `base` (an integer too large for `Int(t, radix:)`).
    static func isIntegerLiteral(_ t: String, base: Int) -> Bool {
        let digits = t.first == "-" || t.first == "+" ? t.dropFirst() : Substring(t)
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.hexDigitValue.map { $0 < base } == true }
    }

    static let numberFilters: [TemplateFilter] = [
        TemplateFilter(name: "abs") { v, _ in
            switch v.numericValue {
            case .int(let i)?:
                guard i != .min else { throw TemplateLimits.integerOverflow("abs(\(i))") }
                return .int(abs(i))
            case .double(let d)?: return .double(abs(d))
            default: throw TemplateError("bad operand type for abs(): '\(v.typeName)'")
            }
        },
        TemplateFilter(name: "round") { v, a in
            let precision = try int(a, 0, "precision", default: 0)
            let method = try string(a, 1, "method", default: "common")
            guard ["common", "ceil", "floor"].contains(method) else {
                throw TemplateError("method must be common, ceil or floor")
            }
            guard let number = v.numericValue else {
                throw TemplateError("round() requires a number, not \(v.typeName)")
            }
            let scale = pow(10.0, Double(precision))
            if method == "common" {
                if case .int = number { return number }
                return .double((number.doubleValue! * scale).rounded(.toNearestOrEven) / scale)
            }
            let rule: FloatingPointRoundingRule = method == "ceil" ? .up : .down
            return .double((number.doubleValue! * scale).rounded(rule) / scale)
        },
        TemplateFilter(name: "int") { v, a in
            let fallback = a.argument(0, "default") ?? .int(0)
            let base = try int(a, 1, "base", default: 10)
            guard (2...36).contains(base) else { throw TemplateError("int() base must be >= 2 and <= 36, not \(base)") }
            switch v {
            case .undefined(let reason): throw TemplateError(reason)
            case .int, .bool: return .int(v.intValue!)
            // like Jinja: NaN gives the default (ValueError), infinity and huge floats are errors (OverflowError)
            case .double(let d): return d.isNaN ? fallback : .int(try TemplateLimits.integer(d))
            case .string(let s):
                var t = s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
                let prefixes = [2: "0b", 8: "0o", 16: "0x"]
                if let p = prefixes[base], t.lowercased().hasPrefix(p) { t.removeFirst(2) }
                if let i = Int(t, radix: base) { return .int(i) }
                if isIntegerLiteral(t, base: base) { throw TemplateLimits.integerOverflow("'\(s)'") }
                if base == 10, let d = Double(t), !d.isNaN { return .int(try TemplateLimits.integer(d)) }
                return fallback
            default: return fallback
            }
        },
        TemplateFilter(name: "float") { v, a in
            let fallback = a.argument(0, "default") ?? .double(0)
            switch v {
            case .undefined(let reason): throw TemplateError(reason)
            case .int, .double, .bool: return .double(v.doubleValue!)
            case .string(let s): return Double(s.trimmingCharacters(in: .whitespaces)).map { .double($0) } ?? fallback
            default: return fallback
            }
        },
    ]
}
