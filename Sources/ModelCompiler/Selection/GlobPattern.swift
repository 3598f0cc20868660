/// A Unix shell-style wildcard pattern as Python's `fnmatch` reads it (case-sensitive): `*` any run
/// of characters (including `/` and `.`), `?` one character, `[abc]`, `[a-z]` and `[!abc]` one
/// character of (or not of) a set. A `[` without its `]` is a literal character.
struct GlobPattern: Sendable, Hashable {
    private enum Token: Sendable, Hashable {
        case literal(Character)
        case any
        case anyRun
        case set(negated: Bool, items: [ClosedRange<Character>])
    }

    private let tokens: [Token]
    /// The pattern text, when it has no wildcard (fast path: plain equality).
    private let plain: String?

    init(_ pattern: String) {
        var tokens: [Token] = []
        let chars = Array(pattern)
        var index = 0
        while index < chars.count {
            let ch = chars[index]
            switch ch {
            case "*":
                if tokens.last != .anyRun { tokens.append(.anyRun) }
                index += 1
            case "?":
                tokens.append(.any)
                index += 1
            case "[":
                if let (token, next) = Self.parseSet(chars, from: index) {
                    tokens.append(token)
                    index = next
                } else {
                    tokens.append(.literal("["))
                    index += 1
                }
            default:
                tokens.append(.literal(ch))
                index += 1
            }
        }
        self.tokens = tokens
        self.plain = tokens.allSatisfy { if case .literal = $0 { true } else { false } } ? pattern : nil
    }

    /// Whether `text` has any of the characters that make a pattern (`*`, `?`, `[`, `]`).
    static func hasWildcard(_ text: String) -> Bool { text.contains { "*?[]".contains($0) } }

    /// Whether the whole of `text` matches the pattern.
    func matches(_ text: String) -> Bool {
        if let plain { return plain == text }
        let chars = Array(text)
        var t = 0, p = 0
        var starP = -1, starT = 0
        while t < chars.count {
            if p < tokens.count, tokens[p] != .anyRun, Self.matchOne(tokens[p], chars[t]) {
                t += 1
                p += 1
            } else if p < tokens.count, tokens[p] == .anyRun {
                starP = p
                starT = t
                p += 1
            } else if starP >= 0 {
                p = starP + 1
                starT += 1
                t = starT
            } else {
                return false
            }
        }
        while p < tokens.count, tokens[p] == .anyRun { p += 1 }
        return p == tokens.count
    }

    private static func matchOne(_ token: Token, _ ch: Character) -> Bool {
        switch token {
        case .literal(let c): return c == ch
        case .any: return true
        case .anyRun: return true
        case .set(let negated, let items): return items.contains { $0.contains(ch) } != negated
        }
    }

    private static func parseSet(_ chars: [Character], from start: Int) -> (Token, Int)? {
        var index = start + 1
        var negated = false
        if index < chars.count, chars[index] == "!" {
            negated = true
            index += 1
        }
        var items: [ClosedRange<Character>] = []
        var first = true
        while index < chars.count {
            let ch = chars[index]
            if ch == "]" && !first { return (.set(negated: negated, items: items), index + 1) }
            first = false
            if index + 2 < chars.count, chars[index + 1] == "-", chars[index + 2] != "]" {
                let upper = chars[index + 2]
                if ch <= upper { items.append(ch...upper) }
                index += 3
            } else {
                items.append(ch...ch)
                index += 1
            }
        }
        return nil
    }
}
