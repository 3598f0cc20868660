/// Globals the engine owns: `range`, `dict`, `namespace`, `return`, `exceptions`, `zip`.
enum BuiltinGlobals {
    static let values: [String: TemplateValue] = [
        "range": .function(TemplateFunction(name: "range", range)),
        "dict": .function(
            TemplateFunction(name: "dict") { args in
                var pairs: [(String, TemplateValue)] = []
                if let first = args.positional.first {
                    switch first {
                    case .dict(let d): pairs = d.pairs
                    case .list(let l):
                        for item in l.items {
                            guard case .list(let pair) = item, pair.count == 2 else {
                                throw TemplateError("dict() sequence elements must be pairs")
                            }
                            let p = pair.items
                            pairs.append((p[0].stringValue ?? p[0].description, p[1]))
                        }
                    default: throw TemplateError("'\(first.typeName)' object is not iterable")
                    }
                }
                for name in args.keywordOrder { if let v = args.keyword[name] { pairs.append((name, v)) } }
                return .dict(TemplateDict(pairs))
            }),
        "namespace": .function(
            TemplateFunction(name: "namespace") { args in
                var pairs: [(String, TemplateValue)] = []
                if case .dict(let d)? = args.positional.first { pairs = d.pairs }
                for name in args.keywordOrder { if let v = args.keyword[name] { pairs.append((name, v)) } }
                return .dict(TemplateDict(pairs, isNamespace: true))
            }),
        "return": .function(
            TemplateFunction(name: "return") { _ in
                throw TemplateError("'return' called outside a macro")
            }),
        "zip": .function(
            TemplateFunction(name: "zip") { args in
                let lists = try args.positional.map { v -> [TemplateValue] in
                    guard let items = v.iterationItems else {
                        throw TemplateError("'\(v.typeName)' object is not iterable")
                    }
                    return items
                }
                let n = lists.map(\.count).min() ?? 0
                return .list(TemplateList((0..<n).map { i in .list(TemplateList(lists.map { $0[i] }, isTuple: true)) }))
            }),
        "joiner": .function(
            TemplateFunction(name: "joiner") { args in
                let separator = args.argument(0, "sep")?.description ?? ", "
                let used = TemplateList([.bool(false)])
                return .object(
                    TemplateObject(
                        name: "Joiner",
                        call: TemplateFunction(name: "joiner") { _ in
                            used.mutate { items in
                                defer { items[0] = .bool(true) }
                                return items[0].isTruthy ? .string(separator) : .string("")
                            }
                        }))
            }),
        "cycler": .function(
            TemplateFunction(name: "cycler") { args in
                let values = args.positional
                guard !values.isEmpty else { throw TemplateError("at least one item has to be provided") }
                let position = TemplateList([.int(0)])
                return .object(
                    TemplateObject(
                        name: "Cycler",
                        attributes: [
                            "items": .list(values),
                            "next": .function(
                                TemplateFunction(name: "next") { _ in
                                    position.mutate { items in
                                        let i = items[0].intValue ?? 0
                                        items[0] = .int((i + 1) % values.count)
                                        return values[i]
                                    }
                                }),
                            "reset": .function(
                                TemplateFunction(name: "reset") { _ in
                                    position.mutate { $0[0] = .int(0) }
                                    return .none
                                }),
                        ], lookup: { key in key == "current" ? values[position.items[0].intValue ?? 0] : nil }))
            }),
        "exceptions": .object(
            TemplateObject(
                name: "exceptions",
                attributes: [
                    "raise_compiler_error": .function(
                        TemplateFunction(name: "raise_compiler_error") { args in
                            throw TemplateError(args.argument(0, "msg")?.description ?? "compilation error")
                        }),
                    "warn": .function(TemplateFunction(name: "warn") { _ in .string("") }),
                ])),
    ]

    /// `range(stop)`, `range(start, stop[, step])`.
    @Sendable static func range(_ args: CallArguments) throws -> TemplateValue {
        let ints = try args.positional.map { v -> Int in
            guard case .int(let i) = v.numericValue ?? .none else {
                throw TemplateError("'\(v.typeName)' object cannot be interpreted as an integer")
            }
            return i
        }
        let (start, stop, step): (Int, Int, Int)
        switch ints.count {
        case 1: (start, stop, step) = (0, ints[0], 1)
        case 2: (start, stop, step) = (ints[0], ints[1], 1)
        case 3: (start, stop, step) = (ints[0], ints[1], ints[2])
        default: throw TemplateError("range expected 1 to 3 arguments, got \(ints.count)")
        }
        guard step != 0 else { throw TemplateError("range() arg 3 must not be zero") }
        // the span is computed in 128 bits: `stop - start` alone overflows for range(-2**63, 2**63 - 1)
        let span = step > 0 ? Int128(stop) - Int128(start) : Int128(start) - Int128(stop)
        let stride = step > 0 ? Int128(step) : -Int128(step)
        let count = span <= 0 ? 0 : (span + stride - 1) / stride
        guard count <= 100_000 else { throw TemplateError("range too big, maximum length is 100000") }
        return .list(TemplateList((0..<Int(count)).map { .int(start + $0 * step) }))
    }
}
