/// The built-in tests (`value is name`), registered through the same `TemplateIsTest` API users get.
enum TemplateIsTests {
    static func argument(_ a: CallArguments, _ name: String) throws -> TemplateValue {
        guard let v = a.argument(0, name) else { throw TemplateError("test requires an argument '\(name)'") }
        return v
    }

    /// Python's `value % n`, for the number tests.
    static func remainder(_ v: TemplateValue, _ n: TemplateValue) throws -> TemplateValue {
        try TemplateOperators.binary(.modulo, v, n)
    }

    static let list: [TemplateIsTest] = [
        TemplateIsTest(name: "defined") { v, _ in v.isDefined },
        TemplateIsTest(name: "undefined") { v, _ in !v.isDefined },
        TemplateIsTest(name: "none") { v, _ in v.isNone },
        TemplateIsTest(name: "boolean") { v, _ in
            if case .bool = v { return true }; return false
        },
        TemplateIsTest(name: "true") { v, _ in
            if case .bool(true) = v { return true }; return false
        },
        TemplateIsTest(name: "false") { v, _ in
            if case .bool(false) = v { return true }; return false
        },
        TemplateIsTest(name: "string") { v, _ in v.stringValue != nil },
        TemplateIsTest(name: "number") { v, _ in v.numericValue != nil },
        TemplateIsTest(name: "integer") { v, _ in
            if case .int = v { return true }; return false
        },
        TemplateIsTest(name: "float") { v, _ in
            if case .double = v { return true }; return false
        },
        TemplateIsTest(name: "mapping") { v, _ in
            switch v {
            case .dict: return true
            // Native objects that behave as mappings (dbt's Relation is a dataclass dict) answer `get`.
            case .object(let o): if case .function? = o.attribute("get") { return true }; return false
            default: return false
            }
        },
        TemplateIsTest(name: "sequence") { v, _ in
            switch v {
            case .list, .dict, .string: return true;
            default: return false
            }
        },
        TemplateIsTest(name: "iterable") { v, _ in
            switch v {
            case .list, .dict, .string: return true;
            default: return false
            }
        },
        TemplateIsTest(name: "callable") { v, _ in
            switch v {
            case .function, .macro: return true
            case .object(let o): return o.call != nil
            default: return false
            }
        },
        TemplateIsTest(name: "sameas") { v, a in
            let other = try argument(a, "other")
            switch (v, other) {
            case (.none, .none): return true
            case (.bool(let x), .bool(let y)): return x == y
            case (.list(let x), .list(let y)): return x === y
            case (.dict(let x), .dict(let y)): return x === y
            default: return false
            }
        },
        TemplateIsTest(name: "even") { v, _ in try remainder(v, .int(2)) == .int(0) },
        TemplateIsTest(name: "odd") { v, _ in try remainder(v, .int(2)) == .int(1) },
        TemplateIsTest(name: "divisibleby") { v, a in try remainder(v, try argument(a, "num")) == .int(0) },
        TemplateIsTest(name: "in") { v, a in try TemplateOperators.contains(try argument(a, "seq"), v) },
        TemplateIsTest(name: "eq") { v, a in v == (try argument(a, "other")) },
        TemplateIsTest(name: "ne") { v, a in v != (try argument(a, "other")) },
        TemplateIsTest(name: "lt") { v, a in try TemplateOperators.order(v, try argument(a, "other")) < 0 },
        TemplateIsTest(name: "le") { v, a in try TemplateOperators.order(v, try argument(a, "other")) <= 0 },
        TemplateIsTest(name: "gt") { v, a in try TemplateOperators.order(v, try argument(a, "other")) > 0 },
        TemplateIsTest(name: "ge") { v, a in try TemplateOperators.order(v, try argument(a, "other")) >= 0 },
        TemplateIsTest(name: "lower") { v, _ in
            let s = v.description
            return s.contains(where: \.isCased) && s == s.lowercased()
        },
        TemplateIsTest(name: "upper") { v, _ in
            let s = v.description
            return s.contains(where: \.isCased) && s == s.uppercased()
        },
    ]

    static let all: [String: TemplateIsTest] = {
        var tests: [String: TemplateIsTest] = [:]
        for t in list { tests[t.name] = t }
        for (alias, name) in [
            ("equalto", "eq"), ("==", "eq"), ("!=", "ne"), ("lessthan", "lt"), ("<", "lt"), ("<=", "le"),
            ("greaterthan", "gt"), (">", "gt"), (">=", "ge"),
        ] {
            tests[alias] = TemplateIsTest(name: alias, tests[name]!.body)
        }
        return tests
    }()
}
