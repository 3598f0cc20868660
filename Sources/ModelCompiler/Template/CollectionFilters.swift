/// Built-in filters over lists, dicts and strings as sequences.
enum CollectionFilters {
    static func items(_ v: TemplateValue, _ filter: String) throws -> [TemplateValue] {
        guard let items = v.iterationItems else { throw TemplateError("'\(v.typeName)' object is not iterable") }
        return items
    }

    /// Follows a dotted attribute path (`a.b`, `0`) like Jinja's `make_attrgetter`.
    static func attribute(_ v: TemplateValue, _ path: String) -> TemplateValue {
        var current = v
        for part in path.split(separator: ".") {
            let key = String(part)
            switch current {
            case .dict(let d): current = d[key] ?? .undefined("'dict object' has no attribute '\(key)'")
            case .object(let o): current = o.attribute(key) ?? .undefined("no attribute '\(key)'")
            case .list(let l):
                if let i = Int(key), i >= 0, i < l.count {
                    current = l.items[i]
                } else {
                    current = .undefined("no item \(key)")
                }
            case .string(let s):
                let chars = Array(s)
                if let i = Int(key), i >= 0, i < chars.count {
                    current = .string(String(chars[i]))
                } else {
                    current = .undefined("no item \(key)")
                }
            default: return .undefined("'\(current.typeName) object' has no attribute '\(key)'")
            }
        }
        return current
    }

    /// A sort key getter for `attribute=` arguments (comma-separated for several keys).
    static func keyGetter(_ a: CallArguments, caseSensitive: Bool) -> (TemplateValue) -> TemplateValue {
        let paths: [String]? = a.keyword["attribute"]?.stringValue.map { $0.split(separator: ",").map(String.init) }
        return { v in
            var key: TemplateValue = v
            if let paths {
                key = paths.count == 1 ? attribute(v, paths[0]) : .list(TemplateList(paths.map { attribute(v, $0) }))
            }
            if !caseSensitive, case .string(let s) = key { return .string(s.lowercased()) }
            return key
        }
    }

    static func sorted(
        _ values: [TemplateValue], key: (TemplateValue) -> TemplateValue, reverse: Bool
    ) throws -> [TemplateValue] {
        let keyed = values.map { (key($0), $0) }
        var failure: (any Error)?
        let result = keyed.enumerated().sorted { x, y in
            do {
                let c = try TemplateOperators.order(x.element.0, y.element.0)
                if c == 0 { return x.offset < y.offset }
                return reverse ? c > 0 : c < 0
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        return result.map(\.element.1)
    }

    static func select(_ v: TemplateValue, _ a: CallArguments, attribute attr: Bool, keep: Bool) throws -> TemplateValue
    {
        var positional = a.positional
        var path: String?
        if attr {
            guard !positional.isEmpty, case .string(let p) = positional.removeFirst() else {
                throw TemplateError("missing parameter for attribute name")
            }
            path = p
        }
        var testName: String?
        if !positional.isEmpty {
            guard case .string(let t) = positional.removeFirst() else {
                throw TemplateError("test name must be a string")
            }
            testName = t
        }
        var out: [TemplateValue] = []
        for item in v.isNone ? [] : try items(v, "select") {
            let subject = path.map { attribute(item, $0) } ?? item
            let passed = try testName.map { try a.applyTest($0, to: subject, positional) } ?? subject.isTruthy
            if passed == keep { out.append(item) }
        }
        return .list(TemplateList(out))
    }

    static let all: [TemplateFilter] = [
        TemplateFilter(name: "join") { v, a in
            let sep = try BuiltinFilters.string(a, 0, "d", default: "")
            var values = try items(v, "join")
            if let path = a.argument(1, "attribute")?.stringValue { values = values.map { attribute($0, path) } }
            return .string(try TemplateLimits.joined(values.map(\.description), separator: sep))
        },
        TemplateFilter(name: "length") { v, _ in
            switch v {
            case .string(let s): return .int(s.count)
            case .list(let l): return .int(l.count)
            case .dict(let d): return .int(d.count)
            case .undefined: return .int(0)
            default: throw TemplateError("object of type '\(v.typeName)' has no len()")
            }
        },
        TemplateFilter(name: "default") { v, a in
            let fallback = a.argument(0, "default_value") ?? .string("")
            let boolean = BuiltinFilters.bool(a, 1, "boolean")
            if !v.isDefined || (boolean && !v.isTruthy) { return fallback }
            return v
        },
        TemplateFilter(name: "list") { v, _ in .list(TemplateList(try items(v, "list"))) },
        TemplateFilter(name: "first") { v, _ in
            try items(v, "first").first ?? .undefined("no first item, sequence was empty")
        },
        TemplateFilter(name: "last") { v, _ in
            try items(v, "last").last ?? .undefined("no last item, sequence was empty")
        },
        TemplateFilter(name: "reverse") { v, _ in
            if case .string(let s) = v { return .string(String(s.reversed())) }
            return .list(TemplateList(try items(v, "reverse").reversed()))
        },
        TemplateFilter(name: "sort") { v, a in
            let reverse = BuiltinFilters.bool(a, 0, "reverse"),
                caseSensitive = BuiltinFilters.bool(a, 1, "case_sensitive")
            var args = a
            if let attr = a.argument(2, "attribute") { args.keyword["attribute"] = attr }
            return .list(
                TemplateList(
                    try sorted(
                        try items(v, "sort"), key: keyGetter(args, caseSensitive: caseSensitive), reverse: reverse)))
        },
        TemplateFilter(name: "unique") { v, a in
            var args = a
            if let attr = a.argument(1, "attribute") { args.keyword["attribute"] = attr }
            let key = keyGetter(args, caseSensitive: BuiltinFilters.bool(a, 0, "case_sensitive"))
            var seen: [TemplateValue] = []
            var out: [TemplateValue] = []
            for item in try items(v, "unique") {
                let k = key(item)
                if !seen.contains(k) { seen.append(k); out.append(item) }
            }
            return .list(TemplateList(out))
        },
        TemplateFilter(name: "map") { v, a in
            // Jinja maps None to nothing (`if seq:`), and an attribute may be an index (`attribute=0`).
            let values = v.isNone ? [] : try items(v, "map")
            if let given = a.keyword["attribute"], given.isDefined, !given.isNone {
                let path = given.stringValue ?? given.description
                let fallback = a.keyword["default"]
                return .list(
                    TemplateList(
                        values.map { item in
                            let r = attribute(item, path)
                            if let fallback, !r.isDefined { return fallback }
                            return r
                        }))
            }
            guard case .string(let name)? = a.positional.first else {
                throw TemplateError("map requires a filter argument")
            }
            let rest = Array(a.positional.dropFirst())
            return .list(TemplateList(try values.map { try a.applyFilter(name, to: $0, rest) }))
        },
        TemplateFilter(name: "select") { v, a in try select(v, a, attribute: false, keep: true) },
        TemplateFilter(name: "reject") { v, a in try select(v, a, attribute: false, keep: false) },
        TemplateFilter(name: "selectattr") { v, a in try select(v, a, attribute: true, keep: true) },
        TemplateFilter(name: "rejectattr") { v, a in try select(v, a, attribute: true, keep: false) },
        TemplateFilter(name: "items") { v, _ in
            switch v {
            case .dict(let d):
                return .list(TemplateList(d.pairs.map { .list(TemplateList([.string($0.0), $0.1], isTuple: true)) }))
            case .undefined: return .list(TemplateList())
            default: throw TemplateError("can only get item pairs from a mapping")
            }
        },
        TemplateFilter(name: "dictsort") { v, a in
            guard case .dict(let d) = v else { throw TemplateError("dictsort requires a mapping") }
            let caseSensitive = BuiltinFilters.bool(a, 0, "case_sensitive")
            let by = try BuiltinFilters.string(a, 1, "by", default: "key")
            let reverse = BuiltinFilters.bool(a, 2, "reverse")
            guard by == "key" || by == "value" else {
                throw TemplateError("you can only sort by either \"key\" or \"value\"")
            }
            let pairs = d.pairs.map { TemplateValue.list(TemplateList([.string($0.0), $0.1], isTuple: true)) }
            let sortedPairs = try sorted(
                pairs,
                key: { p in
                    guard case .list(let l) = p else { return p }
                    let k = l.items[by == "key" ? 0 : 1]
                    if !caseSensitive, case .string(let s) = k { return .string(s.lowercased()) }
                    return k
                }, reverse: reverse)
            return .list(TemplateList(sortedPairs))
        },
        TemplateFilter(name: "sum") { v, a in
            var values = try items(v, "sum")
            if let path = a.argument(0, "attribute")?.stringValue { values = values.map { attribute($0, path) } }
            var total = a.argument(1, "start") ?? .int(0)
            for x in values { total = try TemplateOperators.binary(.add, total, x) }
            return total
        },
        TemplateFilter(name: "min") { v, a in
            var args = a
            if let attr = a.argument(1, "attribute") { args.keyword["attribute"] = attr }
            let key = keyGetter(args, caseSensitive: BuiltinFilters.bool(a, 0, "case_sensitive"))
            return try sorted(try items(v, "min"), key: key, reverse: false).first
                ?? .undefined("no min item, sequence was empty")
        },
        TemplateFilter(name: "max") { v, a in
            var args = a
            if let attr = a.argument(1, "attribute") { args.keyword["attribute"] = attr }
            let key = keyGetter(args, caseSensitive: BuiltinFilters.bool(a, 0, "case_sensitive"))
            let values = try items(v, "max")
            // the last of the maximal items would be wrong: Python's max returns the first maximal one
            return try sorted(values, key: key, reverse: true).first ?? .undefined("no max item, sequence was empty")
        },
        TemplateFilter(name: "groupby") { v, a in
            guard case .string(let path)? = a.argument(0, "attribute") else {
                throw TemplateError("groupby requires an attribute name")
            }
            let fallback = a.argument(1, "default")
            let caseSensitive = BuiltinFilters.bool(a, 2, "case_sensitive")
            func key(_ item: TemplateValue) -> TemplateValue {
                let k = attribute(item, path)
                if let fallback, !k.isDefined { return fallback }
                return k
            }
            let sortedItems = try sorted(
                try items(v, "groupby"),
                key: { item in
                    let k = key(item)
                    if !caseSensitive, case .string(let s) = k { return .string(s.lowercased()) }
                    return k
                }, reverse: false)
            var groups: [(TemplateValue, [TemplateValue])] = []
            for item in sortedItems {
                let k = key(item)
                let compareKey: TemplateValue =
                    !caseSensitive && k.stringValue != nil ? .string(k.stringValue!.lowercased()) : k
                if let last = groups.last {
                    let lastKey: TemplateValue =
                        !caseSensitive && last.0.stringValue != nil
                        ? .string(last.0.stringValue!.lowercased()) : last.0
                    if lastKey == compareKey {
                        groups[groups.count - 1].1.append(item)
                        continue
                    }
                }
                groups.append((k, [item]))
            }
            return .list(
                TemplateList(
                    groups.map {
                        .list(TemplateList([$0.0, .list(TemplateList($0.1))], fieldNames: ["grouper", "list"]))
                    }))
        },
        TemplateFilter(name: "batch") { v, a in
            let size = try BuiltinFilters.int(a, 0, "linecount", default: 1)
            guard size > 0 else { throw TemplateError("batch size must be positive") }
            let fill = a.argument(1, "fill_with")
            var out: [TemplateValue] = []
            var current: [TemplateValue] = []
            for item in try items(v, "batch") {
                current.append(item)
                if current.count == size { out.append(.list(TemplateList(current))); current = [] }
            }
            if !current.isEmpty {
                if let fill {
                    try TemplateLimits.checkItems(size)
                    while current.count < size { current.append(fill) }
                }
                out.append(.list(TemplateList(current)))
            }
            return .list(TemplateList(out))
        },
    ]
}
