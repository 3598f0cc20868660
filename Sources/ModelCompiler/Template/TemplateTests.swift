/// The built-in tests (`value is name`), registered through the same `TemplateTest` API users get.
enum TemplateTests {
    static func argument(_ a: CallArguments, _ name: String) throws -> TemplateValue {
        guard let v = a.argument(0, name) else { throw TemplateError("test requires an argument '\(name)'") }
        return v
    }

    /// Python's `value % n`, for the number tests.
    static func remainder(_ v: TemplateValue, _ n: TemplateValue) throws -> TemplateValue {
        try TemplateOperators.binary(.modulo, v, n)
    }

    static let list: [TemplateTest] = [
        TemplateTest(name: "defined") { v, _ in v.isDefined },
        TemplateTest(name: "undefined") { v, _ in !v.isDefined },
        TemplateTest(name: "none") { v, _ in v.isNone },
        TemplateTest(name: "boolean") { v, _ in if case .bool = v { return true }; return false },
        TemplateTest(name: "true") { v, _ in if case .bool(true) = v { return true }; return false },
        TemplateTest(name: "false") { v, _ in if case .bool(false) = v { return true }; return false },
        TemplateTest(name: "string") { v, _ in v.stringValue != nil },
        TemplateTest(name: "number") { v, _ in v.numericValue != nil },
        TemplateTest(name: "integer") { v, _ in if case .int = v { return true }; return false },
        TemplateTest(name: "float") { v, _ in if case .double = v { return true }; return false },
        TemplateTest(name: "mapping") { v, _ in if case .dict = v { return true }; return false },
        TemplateTest(name: "sequence") { v, _ in
            switch v { case .list, .dict, .string: return true; default: return false }
        },
        TemplateTest(name: "iterable") { v, _ in
            switch v { case .list, .dict, .string: return true; default: return false }
        },
        TemplateTest(name: "callable") { v, _ in
            switch v {
            case .function, .macro: return true
            case .object(let o): return o.call != nil
            default: return false
            }
        },
        TemplateTest(name: "sameas") { v, a in
            let other = try argument(a, "other")
            switch (v, other) {
            case (.none, .none): return true
            case (.bool(let x), .bool(let y)): return x == y
            case (.list(let x), .list(let y)): return x === y
            case (.dict(let x), .dict(let y)): return x === y
            default: return false
            }
        },
        TemplateTest(name: "even") { v, _ in try remainder(v, .int(2)) == .int(0) },
        TemplateTest(name: "odd") { v, _ in try remainder(v, .int(2)) == .int(1) },
        TemplateTest(name: "divisibleby") { v, a in try remainder(v, try argument(a, "num")) == .int(0) },
        TemplateTest(name: "in") { v, a in try TemplateOperators.contains(try argument(a, "seq"), v) },
        TemplateTest(name: "eq") { v, a in v == (try argument(a, "other")) },
        TemplateTest(name: "ne") { v, a in v != (try argument(a, "other")) },
        TemplateTest(name: "lt") { v, a in try TemplateOperators.order(v, try argument(a, "other")) < 0 },
        TemplateTest(name: "le") { v, a in try TemplateOperators.order(v, try argument(a, "other")) <= 0 },
        TemplateTest(name: "gt") { v, a in try TemplateOperators.order(v, try argument(a, "other")) > 0 },
        TemplateTest(name: "ge") { v, a in try TemplateOperators.order(v, try argument(a, "other")) >= 0 },
        TemplateTest(name: "lower") { v, _ in
            let s = v.description
            return s.contains(where: \.isCased) && s == s.lowercased()
        },
        TemplateTest(name: "upper") { v, _ in
            let s = v.description
            return s.contains(where: \.isCased) && s == s.uppercased()
        },
    ]

    static let all: [String: TemplateTest] = {
        var tests: [String: TemplateTest] = [:]
        for t in list { tests[t.name] = t }
        for (alias, name) in [
            ("equalto", "eq"), ("==", "eq"), ("!=", "ne"), ("lessthan", "lt"), ("<", "lt"), ("<=", "le"),
            ("greaterthan", "gt"), (">", "gt"), (">=", "ge"),
        ] {
            tests[alias] = TemplateTest(name: alias, tests[name]!.body)
        }
        return tests
    }()
}
