import Foundation

/// Python methods on strings, lists and dicts that dbt projects call (`s.upper()`, `xs.append(1)`, `d.items()`).
enum ValueMethods {
    static func method(of value: TemplateValue, _ name: String) -> TemplateValue? {
        let body: (@Sendable (CallArguments) throws -> TemplateValue)?
        switch value {
        case .string(let s): body = stringMethod(s, name)
        case .list(let l): body = listMethod(l, name)
        case .dict(let d): body = dictMethod(d, name)
        default: body = nil
        }
        return body.map { .function(TemplateFunction(name: name, $0)) }
    }

    static func stripSet(_ args: CallArguments) -> Set<Character>? {
        guard case .string(let chars)? = args.argument(0, "chars") else { return nil }
        return Set(chars)
    }

    static func strip(_ s: String, leading: Bool, trailing: Bool, chars: Set<Character>?) -> String {
        let shouldStrip: (Character) -> Bool = { c in chars.map { $0.contains(c) } ?? c.isWhitespace }
        var sub = Substring(s)
        if leading { sub = sub.drop(while: shouldStrip) }
        if trailing { while let last = sub.last, shouldStrip(last) { sub = sub.dropLast() } }
        return String(sub)
    }

    static func stringMethod(_ s: String, _ name: String) -> (@Sendable (CallArguments) throws -> TemplateValue)? {
        switch name {
        case "upper": return { _ in .string(s.uppercased()) }
        case "lower": return { _ in .string(s.lowercased()) }
        case "strip": return { a in .string(strip(s, leading: true, trailing: true, chars: stripSet(a))) }
        case "lstrip": return { a in .string(strip(s, leading: true, trailing: false, chars: stripSet(a))) }
        case "rstrip": return { a in .string(strip(s, leading: false, trailing: true, chars: stripSet(a))) }
        case "title": return { _ in .string(BuiltinFilters.title(s)) }
        case "capitalize": return { _ in .string(BuiltinFilters.capitalize(s)) }
        case "startswith", "endswith":
            return { a in
                let candidates: [TemplateValue]
                switch a.argument(0, "prefix") {
                case .list(let l)?: candidates = l.items
                case let v?: candidates = [v]
                case nil: throw TemplateError("\(name)() takes at least 1 argument (0 given)")
                }
                return .bool(
                    candidates.contains { c in
                        guard case .string(let p) = c else { return false }
                        return name == "startswith" ? s.hasPrefix(p) : s.hasSuffix(p)
                    })
            }
        case "replace":
            return { a in
                let old = try a.string(0, "old", of: "replace"), new = try a.string(1, "new", of: "replace")
                if let count = a.argument(2, "count")?.intValue, count >= 0 {
                    return .string(try BuiltinFilters.replace(s, old, new, count: count))
                }
                return .string(try BuiltinFilters.replace(s, old, new, count: nil))
            }
        case "split":
            return { a in
                let maxsplit = a.argument(1, "maxsplit")?.intValue ?? -1
                if case .string(let sep)? = a.argument(0, "sep") {
                    guard !sep.isEmpty else { throw TemplateError("empty separator") }
                    var parts = s.components(separatedBy: sep)
                    if maxsplit >= 0, parts.count - 1 > maxsplit {
                        parts = Array(parts[..<maxsplit]) + [parts[maxsplit...].joined(separator: sep)]
                    }
                    return .list(TemplateList(parts.map { .string($0) }))
                }
                return .list(TemplateList(s.split(whereSeparator: { $0.isWhitespace }).map { .string(String($0)) }))
            }
        case "join":
            return { a in
                guard let items = a.argument(0, "iterable")?.iterationItems else {
                    throw TemplateError("can only join an iterable")
                }
                return .string(try TemplateLimits.joined(items.map(\.description), separator: s))
            }
        case "format": return { a in .string(try pythonFormat(s, a)) }
        case "count":
            return { a in
                let sub = try a.string(0, "sub", of: "count")
                return .int(sub.isEmpty ? s.count + 1 : s.components(separatedBy: sub).count - 1)
            }
        case "find":
            return { a in
                let sub = try a.string(0, "sub", of: "find")
                guard let r = s.range(of: sub) else { return .int(-1) }
                return .int(s.distance(from: s.startIndex, to: r.lowerBound))
            }
        case "isdigit": return { _ in .bool(!s.isEmpty && s.allSatisfy(\.isNumber)) }
        case "isalpha": return { _ in .bool(!s.isEmpty && s.allSatisfy(\.isLetter)) }
        case "isupper": return { _ in .bool(s.contains(where: \.isLetter) && s == s.uppercased()) }
        case "islower": return { _ in .bool(s.contains(where: \.isLetter) && s == s.lowercased()) }
        default: return nil
        }
    }

    /// Python's `str.format` with `{}`, `{0}`, `{name}` and `{{`/`}}`.
    static func pythonFormat(_ format: String, _ a: CallArguments) throws -> String {
        var out = ""
        var auto = 0
        let iterator = Array(format)
        var i = 0
        while i < iterator.count {
            let c = iterator[i]
            if c == "{" {
                if i + 1 < iterator.count, iterator[i + 1] == "{" { out.append("{"); i += 2; continue }
                guard let close = iterator[i...].firstIndex(of: "}") else {
                    throw TemplateError("single '{' encountered in format string")
                }
                var field = String(iterator[(i + 1)..<close])
                var spec = ""
                if let colon = field.firstIndex(of: ":") {
                    spec = String(field[field.index(after: colon)...])
                    field = String(field[..<colon])
                }
                let value: TemplateValue
                if field.isEmpty {
                    guard auto < a.positional.count else {
                        throw TemplateError("replacement index \(auto) out of range")
                    }
                    value = a.positional[auto]
                    auto += 1
                } else if let n = Int(field), n >= 0 {
                    guard n < a.positional.count else { throw TemplateError("replacement index \(n) out of range") }
                    value = a.positional[n]
                } else {
                    guard let v = a.keyword[field] else { throw TemplateError("'\(field)'") }
                    value = v
                }
                if spec.isEmpty {
                    out += value.description
                } else if let dot = spec.firstIndex(of: "."), spec.hasSuffix("f"), let d = value.doubleValue {
                    let written = spec[spec.index(after: dot)..<spec.index(before: spec.endIndex)]
                    let digits =
                        try TemplateOperators.formatNumber(
                            written, "precision", limit: TemplateOperators.maximumFloatPrecision) ?? 6
                    out += String(format: "%.\(digits)f", d)
                } else {
                    out += value.description
                }
                i = close + 1
                continue
            }
            if c == "}", i + 1 < iterator.count, iterator[i + 1] == "}" { out.append("}"); i += 2; continue }
            out.append(c)
            i += 1
        }
        return out
    }

    static func listMethod(_ l: TemplateList, _ name: String) -> (@Sendable (CallArguments) throws -> TemplateValue)? {
        // A named tuple (an agate row or column list) is also a mapping of its field names.
        if let names = l.fieldNames, ["keys", "values", "items", "get"].contains(name) {
            return { a in
                let items = l.items
                switch name {
                case "keys": return .list(TemplateList(names.map(TemplateValue.string), isTuple: true))
                case "values": return .list(TemplateList(items, isTuple: true))
                case "get":
                    let key = a.argument(0, "key")?.description ?? ""
                    return names.firstIndex(of: key).flatMap { $0 < items.count ? items[$0] : nil } ?? a.argument(
                        1, "default") ?? .none
                default:
                    return .list(zip(names, items).map { .list(TemplateList([.string($0), $1], isTuple: true)) })
                }
            }
        }
        switch name {
        case "append":
            return { a in
                guard let v = a.argument(0, "object") else {
                    throw TemplateError("append() takes exactly one argument (0 given)")
                }
                l.append(v)
                return .none
            }
        case "extend":
            return { a in
                guard let items = a.argument(0, "iterable")?.iterationItems else {
                    throw TemplateError("extend() argument must be iterable")
                }
                try TemplateLimits.checkItems(l.count + items.count)
                l.mutate { $0.append(contentsOf: items) }
                return .none
            }
        case "insert":
            return { a in
                guard let i = a.argument(0, "index")?.intValue, let v = a.argument(1, "object") else {
                    throw TemplateError("insert expected 2 arguments")
                }
                l.mutate { items in
                    var index = i < 0 ? i + items.count : i
                    index = min(max(0, index), items.count)
                    items.insert(v, at: index)
                }
                return .none
            }
        case "pop":
            return { a in
                try l.mutate { items in
                    guard !items.isEmpty else { throw TemplateError("pop from empty list") }
                    var i = a.argument(0, "index")?.intValue ?? items.count - 1
                    if i < 0 { i += items.count }
                    guard i >= 0, i < items.count else { throw TemplateError("pop index out of range") }
                    return items.remove(at: i)
                }
            }
        case "remove":
            return { a in
                guard let v = a.argument(0, "value"), let i = l.items.firstIndex(of: v) else {
                    throw TemplateError("list.remove(x): x not in list")
                }
                l.mutate { items in if i < items.count { items.remove(at: i) } }
                return .none
            }
        case "index":
            return { a in
                guard let v = a.argument(0, "value"), let i = l.items.firstIndex(of: v) else {
                    throw TemplateError("\(a.argument(0, "value")?.repr ?? "value") is not in list")
                }
                return .int(i)
            }
        case "count":
            return { a in .int(l.items.filter { $0 == (a.argument(0, "value") ?? .none) }.count) }
        case "copy": return { _ in .list(TemplateList(l.items)) }
        case "reverse":
            return { _ in
                l.mutate { $0.reverse() }; return .none
            }
        default: return nil
        }
    }

    static func dictMethod(_ d: TemplateDict, _ name: String) -> (@Sendable (CallArguments) throws -> TemplateValue)? {
        switch name {
        case "items":
            return { _ in
                .list(TemplateList(d.pairs.map { .list(TemplateList([.string($0.0), $0.1], isTuple: true)) }))
            }
        case "keys": return { _ in .list(TemplateList(d.keys.map { .string($0) })) }
        case "values": return { _ in .list(TemplateList(d.pairs.map(\.1))) }
        case "get":
            return { a in
                guard let key = a.argument(0, "key") else {
                    throw TemplateError("get expected at least 1 argument, got 0")
                }
                return d[key.stringValue ?? key.description] ?? a.argument(1, "default") ?? .none
            }
        case "update":
            return { a in
                if case .dict(let other)? = a.positional.first { for (k, v) in other.pairs { d[k] = v } }
                for k in a.keywordOrder { d[k] = a.keyword[k] }
                return .none
            }
        case "pop":
            return { a in
                guard let key = a.argument(0, "key") else {
                    throw TemplateError("pop expected at least 1 argument, got 0")
                }
                let k = key.stringValue ?? key.description
                if let v = d[k] { d[k] = nil; return v }
                if let fallback = a.argument(1, "default") { return fallback }
                throw TemplateError(key.repr)
            }
        case "setdefault":
            return { a in
                guard let key = a.argument(0, "key") else {
                    throw TemplateError("setdefault expected at least 1 argument, got 0")
                }
                let k = key.stringValue ?? key.description
                if let v = d[k] { return v }
                let v = a.argument(1, "default") ?? .none
                d[k] = v
                return v
            }
        case "copy": return { _ in .dict(TemplateDict(d.pairs)) }
        default: return nil
        }
    }
}
