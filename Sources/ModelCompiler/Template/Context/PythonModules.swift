import Foundation

/// `modules.re` and `modules.itertools`: the parts of Python's modules that dbt packages call.
/// Regular expressions run on ICU (NSRegularExpression), whose syntax covers Python's for the
/// patterns packages write; replacement strings use Python's `\1` / `\g<1>`.
enum PythonModules {
    static let ignoreCase = 2, multiline = 8, dotAll = 16, verbose = 64

    static func regex(_ pattern: String, flags: Int) throws -> NSRegularExpression {
        var options: NSRegularExpression.Options = []
        if flags & ignoreCase != 0 { options.insert(.caseInsensitive) }
        if flags & multiline != 0 { options.insert(.anchorsMatchLines) }
        if flags & dotAll != 0 { options.insert(.dotMatchesLineSeparators) }
        if flags & verbose != 0 { options.insert(.allowCommentsAndWhitespace) }
        // Python's named groups `(?P<name>...)` are ICU's `(?<name>...)`.
        let icu = pattern.replacingOccurrences(of: "(?P<", with: "(?<")
        do { return try NSRegularExpression(pattern: icu, options: options) } catch {
            throw TemplateError("invalid regular expression '\(pattern)'")
        }
    }

    /// A match object: `group(n)`, `groups()`, `start()`, `end()`, `span()`; truthy.
    static func match(_ result: NSTextCheckingResult, in text: String) -> TemplateValue {
        let ns = text as NSString
        let groups: [TemplateValue] = (0..<result.numberOfRanges).map { index in
            let range = result.range(at: index)
            return range.location == NSNotFound ? .none : .string(ns.substring(with: range))
        }
        let start = result.range.location, end = result.range.location + result.range.length
        let group = { @Sendable (index: Int) -> TemplateValue in
            index >= 0 && index < groups.count ? groups[index] : .none
        }
        return .object(
            TemplateObject(
                name: "re.Match",
                attributes: [
                    "group": .function(
                        TemplateFunction(name: "group") { args in
                            if args.positional.count > 1 {
                                return .list(
                                    TemplateList(args.positional.map { group($0.intValue ?? 0) }, isTuple: true))
                            }
                            return group(args.positional.first?.intValue ?? 0)
                        }),
                    "groups": .function(
                        TemplateFunction(name: "groups") { _ in
                            .list(TemplateList(Array(groups.dropFirst()), isTuple: true))
                        }),
                    "start": .function(TemplateFunction(name: "start") { _ in .int(start) }),
                    "end": .function(TemplateFunction(name: "end") { _ in .int(end) }),
                    "span": .function(
                        TemplateFunction(name: "span") { _ in
                            .list(TemplateList([.int(start), .int(end)], isTuple: true))
                        }),
                ], text: "<re.Match object>"))
    }

    /// Python's replacement syntax (`\1`, `\g<1>`, `\g<name>`) as ICU's (`$1`, `${name}`).
    static func template(_ replacement: String) -> String {
        var out = ""
        var chars = Array(replacement)[...]
        while let c = chars.popFirst() {
            if c == "$" { out += "\\$"; continue }
            guard c == "\\", let next = chars.first else { out.append(c); continue }
            if next.isNumber {
                chars.removeFirst()
                out += "$\(next)"
            } else if next == "g", chars.dropFirst().first == "<", let close = chars.firstIndex(of: ">") {
                let name = String(chars[chars.index(chars.startIndex, offsetBy: 2)..<close])
                out += name.allSatisfy(\.isNumber) ? "$\(name)" : "${\(name)}"
                chars = chars[chars.index(after: close)...]
            } else if next == "\\" {
                chars.removeFirst()
                out += "\\\\"
            } else if next == "n" {
                chars.removeFirst()
                out += "\n"
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// `re.<name>(pattern, string, ...)` and a compiled pattern's methods (`pattern` given).
    static func reFunction(_ name: String, compiled: (String, Int)? = nil) -> TemplateValue {
        .function(
            TemplateFunction(name: name) { args in
                var positional = args.positional
                let (pattern, flags): (String, Int)
                if let compiled {
                    (pattern, flags) = compiled
                } else {
                    guard !positional.isEmpty else {
                        throw TemplateError("re.\(name)() missing required argument 'pattern'")
                    }
                    pattern = positional.removeFirst().description
                    flags = args.keyword["flags"]?.intValue ?? 0
                }
                let regex = try regex(pattern, flags: flags)
                switch name {
                case "sub", "subn":
                    let replacement = (positional.first ?? args.keyword["repl"] ?? .string("")).description
                    let text = (positional.count > 1 ? positional[1] : args.keyword["string"] ?? .string(""))
                        .description
                    let count = (positional.count > 2 ? positional[2] : args.keyword["count"])?.intValue ?? 0
                    let ns = text as NSString
                    var matches = regex.matches(in: text, range: NSRange(location: 0, length: ns.length))
                    if count > 0 { matches = Array(matches.prefix(count)) }
                    var result = text
                    let icu = template(replacement)
                    for m in matches.reversed() {
                        let piece = regex.replacementString(for: m, in: text, offset: 0, template: icu)
                        result = (result as NSString).replacingCharacters(in: m.range, with: piece)
                    }
                    return name == "sub"
                        ? .string(result) : .list(TemplateList([.string(result), .int(matches.count)], isTuple: true))
                case "split":
                    let text = (positional.first ?? args.keyword["string"] ?? .string("")).description
                    let ns = text as NSString
                    var pieces: [TemplateValue] = []
                    var last = 0
                    for m in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                        pieces.append(
                            .string(ns.substring(with: NSRange(location: last, length: m.range.location - last))))
                        for g in stride(from: 1, to: m.numberOfRanges, by: 1) {
                            let r = m.range(at: g)
                            pieces.append(r.location == NSNotFound ? .none : .string(ns.substring(with: r)))
                        }
                        last = m.range.location + m.range.length
                    }
                    pieces.append(.string(ns.substring(from: last)))
                    return .list(pieces)
                default:
                    let text = (positional.first ?? args.keyword["string"] ?? .string("")).description
                    let ns = text as NSString
                    let whole = NSRange(location: 0, length: ns.length)
                    switch name {
                    case "findall":
                        return .list(
                            regex.matches(in: text, range: whole).map { m in
                                if m.numberOfRanges == 1 { return .string(ns.substring(with: m.range)) }
                                let groups: [TemplateValue] = (1..<m.numberOfRanges).map { g in
                                    let r = m.range(at: g)
                                    return .string(r.location == NSNotFound ? "" : ns.substring(with: r))
                                }
                                return groups.count == 1 ? groups[0] : .list(TemplateList(groups, isTuple: true))
                            })
                    case "match", "fullmatch":
                        guard let m = regex.firstMatch(in: text, options: .anchored, range: whole) else { return .none }
                        if name == "fullmatch", m.range.length != ns.length { return .none }
                        return match(m, in: text)
                    default:  // search
                        return regex.firstMatch(in: text, range: whole).map { match($0, in: text) } ?? .none
                    }
                }
            })
    }

    static var re: TemplateValue {
        var attributes: [String: TemplateValue] = [:]
        for name in ["match", "fullmatch", "search", "findall", "sub", "subn", "split"] {
            attributes[name] = reFunction(name)
        }
        for (name, value) in [
            ("I", ignoreCase), ("IGNORECASE", ignoreCase), ("M", multiline), ("MULTILINE", multiline),
            ("S", dotAll), ("DOTALL", dotAll), ("X", verbose), ("VERBOSE", verbose),
        ] {
            attributes[name] = .int(value)
        }
        attributes["escape"] = .function(
            TemplateFunction(name: "escape") { args in
                .string(NSRegularExpression.escapedPattern(for: args.positional.first?.description ?? ""))
            })
        attributes["compile"] = .function(
            TemplateFunction(name: "compile") { args in
                let pattern = args.positional.first?.description ?? ""
                let flags = (args.positional.count > 1 ? args.positional[1] : args.keyword["flags"])?.intValue ?? 0
                _ = try regex(pattern, flags: flags)
                var methods: [String: TemplateValue] = ["pattern": .string(pattern), "flags": .int(flags)]
                for name in ["match", "fullmatch", "search", "findall", "sub", "subn", "split"] {
                    methods[name] = reFunction(name, compiled: (pattern, flags))
                }
                return .object(
                    TemplateObject(
                        name: "re.Pattern", attributes: methods,
                        text: "re.compile(\(TemplateValue.pythonRepr(pattern)))"))
            })
        return .object(TemplateObject(name: "module 're'", attributes: attributes))
    }

    static func items(_ value: TemplateValue) throws -> [TemplateValue] {
        guard let items = value.iterationItems else {
            throw TemplateError("'\(value.typeName)' object is not iterable")
        }
        return items
    }

    static func tuple(_ items: [TemplateValue]) -> TemplateValue { .list(TemplateList(items, isTuple: true)) }

    /// `modules.itertools`: product, combinations, combinations_with_replacement, permutations, chain.
    static func combinations(_ pool: [TemplateValue], _ r: Int, replacement: Bool) -> [[TemplateValue]] {
        guard r > 0 else { return [[]] }
        guard !pool.isEmpty else { return [] }
        var out: [[TemplateValue]] = []
        for (i, first) in pool.enumerated() {
            let rest = replacement ? Array(pool[i...]) : Array(pool[(i + 1)...])
            for tail in combinations(rest, r - 1, replacement: replacement) { out.append([first] + tail) }
        }
        return out
    }
    static func permutations(_ pool: [TemplateValue], _ r: Int) -> [[TemplateValue]] {
        guard r > 0 else { return [[]] }
        var out: [[TemplateValue]] = []
        for (i, first) in pool.enumerated() {
            var rest = pool
            rest.remove(at: i)
            for tail in permutations(rest, r - 1) { out.append([first] + tail) }
        }
        return out
    }

    static var itertools: TemplateValue {
        let limit = 100_000
        return .object(
            TemplateObject(
                name: "module 'itertools'",
                attributes: [
                    "product": .function(
                        TemplateFunction(name: "product") { args in
                            let repeatCount = max(1, args.keyword["repeat"]?.intValue ?? 1)
                            let pools = try Array(repeating: args.positional.map(items), count: repeatCount).flatMap {
                                $0
                            }
                            var result: [[TemplateValue]] = [[]]
                            for pool in pools {
                                result = result.flatMap { prefix in pool.map { prefix + [$0] } }
                                guard result.count <= limit else {
                                    throw TemplateError("itertools.product() result too large")
                                }
                            }
                            return .list(result.map(tuple))
                        }),
                    "combinations": .function(
                        TemplateFunction(name: "combinations") { args in
                            let pool = try items(args.argument(0, "iterable") ?? .list([]))
                            return .list(
                                combinations(pool, args.argument(1, "r")?.intValue ?? pool.count, replacement: false)
                                    .map(tuple))
                        }),
                    "combinations_with_replacement": .function(
                        TemplateFunction(name: "combinations_with_replacement") { args in
                            let pool = try items(args.argument(0, "iterable") ?? .list([]))
                            return .list(
                                combinations(pool, args.argument(1, "r")?.intValue ?? pool.count, replacement: true)
                                    .map(tuple))
                        }),
                    "permutations": .function(
                        TemplateFunction(name: "permutations") { args in
                            let pool = try items(args.argument(0, "iterable") ?? .list([]))
                            let r = args.argument(1, "r")?.intValue ?? pool.count
                            guard r <= 8 else { throw TemplateError("itertools.permutations() result too large") }
                            return .list(permutations(pool, r).map(tuple))
                        }),
                    "chain": .function(
                        TemplateFunction(name: "chain") { args in .list(try args.positional.flatMap(items)) }),
                ]))
    }
}
