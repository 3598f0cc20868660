/// A token of a template: text between tags, tag delimiters, and the tokens of expressions inside tags.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        case text, variableBegin, variableEnd, blockBegin, blockEnd
        case name, string, integer, float, op
        case eof
    }
    var kind: Kind
    /// Text, name, decoded string, number spelling or operator.
    var value: String
    /// UTF-8 offset of the token in the template.
    var offset: Int

    func `is`(_ kind: Kind, _ value: String) -> Bool { self.kind == kind && self.value == value }
    var isName: Bool { kind == .name }

    /// How the token is shown in messages.
    var display: String {
        switch kind {
        case .eof: return "end of template"
        case .variableEnd: return "'}}'"
        case .blockEnd: return "'%}'"
        case .string: return "string"
        default: return "'\(value)'"
        }
    }
}

/// Splits a template into tokens in one pass over its UTF-8 bytes.
struct TemplateLexer {
    private let bytes: [UInt8]
    private let source: TemplateSource
    private(set) var tokens: [Token] = []
    private(set) var diagnostics: [Diagnostic] = []
    private var lstripNext = false

    init(source: TemplateSource) {
        self.source = source
        self.bytes = Array(source.text.utf8)
    }

    private static let lbrace = UInt8(ascii: "{"), rbrace = UInt8(ascii: "}"), percent = UInt8(ascii: "%")
    private static let hash = UInt8(ascii: "#"), dash = UInt8(ascii: "-")

    private func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 || b == 12 || b == 11 }

    private func error(_ message: String, at offset: Int, length: Int = 1) -> Diagnostic {
        .error("template.syntax", message, at: source.location(offset), length: length)
    }

    /// Tokenizes the whole template.
    mutating func run() {
        let n = bytes.count
        var pos = 0
        while pos < n {
            // find the next tag start
            var i = pos
            var found = -1
            while i + 1 < n {
                if bytes[i] == Self.lbrace {
                    let c = bytes[i + 1]
                    if c == Self.lbrace || c == Self.percent || c == Self.hash { found = i; break }
                }
                i += 1
            }
            let textEnd = found < 0 ? n : found
            let stripBefore = found >= 0 && found + 2 < n && bytes[found + 2] == Self.dash
            emitText(pos, textEnd, stripTrailing: stripBefore)
            if found < 0 { break }
            let kind = bytes[found + 1]
            var cursor = found + 2 + (stripBefore ? 1 : 0)
            if !stripBefore, kind == Self.percent, cursor < n, bytes[cursor] == UInt8(ascii: "+") { cursor += 1 }
            if kind == Self.hash {
                guard let end = findCommentEnd(from: cursor) else {
                    diagnostics.append(error("unclosed comment", at: found, length: 2))
                    break
                }
                lstripNext = bytes[end - 1] == Self.dash && end - 1 >= cursor
                pos = end + 2
                continue
            }
            let isBlock = kind == Self.percent
            tokens.append(
                Token(kind: isBlock ? .blockBegin : .variableBegin, value: isBlock ? "{%" : "{{", offset: found))
            let firstTokenIndex = tokens.count
            guard lexExpression(&cursor, block: isBlock, begin: found) else { return }
            pos = cursor
            if isBlock, tokens.count == firstTokenIndex + 2, tokens[firstTokenIndex].is(.name, "raw") {
                // {% raw %}...{% endraw %}: everything up to endraw is text
                tokens.removeLast(3)
                guard let end = findEndRaw(from: pos) else {
                    diagnostics.append(error("unclosed 'raw' block, expected 'endraw'", at: found, length: 2))
                    return
                }
                emitText(pos, end.rawEnd, stripTrailing: end.stripBefore)
                lstripNext = end.stripAfter
                pos = end.tagEnd
            }
        }
        tokens.append(Token(kind: .eof, value: "", offset: n))
    }

    private mutating func emitText(_ start: Int, _ end: Int, stripTrailing: Bool) {
        var a = start, b = end
        if lstripNext { while a < b, isSpace(bytes[a]) { a += 1 } }
        lstripNext = false
        if stripTrailing { while b > a, isSpace(bytes[b - 1]) { b -= 1 } }
        if a < b { tokens.append(Token(kind: .text, value: String(decoding: bytes[a..<b], as: UTF8.self), offset: a)) }
    }

    private func findCommentEnd(from start: Int) -> Int? {
        var i = start
        while i + 1 < bytes.count {
            if bytes[i] == Self.hash, bytes[i + 1] == Self.rbrace { return i }
            i += 1
        }
        return nil
    }

    /// Finds `{% endraw %}`: returns where the raw text ends, where the tag ends, whether `{%-` strips
    /// before it and whether `-%}` strips after it.
    private func findEndRaw(from start: Int) -> (rawEnd: Int, tagEnd: Int, stripBefore: Bool, stripAfter: Bool)? {
        let word = Array("endraw".utf8)
        var i = start
        while i + 1 < bytes.count {
            if bytes[i] == Self.lbrace, bytes[i + 1] == Self.percent {
                var j = i + 2
                let strip = j < bytes.count && bytes[j] == Self.dash
                if j < bytes.count, bytes[j] == Self.dash || bytes[j] == UInt8(ascii: "+") { j += 1 }
                while j < bytes.count, isSpace(bytes[j]) { j += 1 }
                if j + word.count <= bytes.count, Array(bytes[j..<(j + word.count)]) == word {
                    j += word.count
                    while j < bytes.count, isSpace(bytes[j]) { j += 1 }
                    var stripAfter = false
                    if j < bytes.count, bytes[j] == Self.dash {
                        stripAfter = true; j += 1
                    } else if j < bytes.count, bytes[j] == UInt8(ascii: "+") {
                        j += 1
                    }
                    if j + 1 < bytes.count, bytes[j] == Self.percent, bytes[j + 1] == Self.rbrace {
                        return (i, j + 2, strip, stripAfter)
                    }
                }
            }
            i += 1
        }
        return nil
    }

    /// Lexes the inside of a tag up to its closing delimiter; false when the template ends first.
    private mutating func lexExpression(_ pos: inout Int, block: Bool, begin: Int) -> Bool {
        let n = bytes.count
        var depth = 0
        let closer = block ? Self.percent : Self.rbrace
        while true {
            while pos < n, isSpace(bytes[pos]) { pos += 1 }
            if pos >= n {
                diagnostics.append(
                    error("unclosed '\(block ? "{%" : "{{")', expected '\(block ? "%}" : "}}")'", at: begin, length: 2))
                return false
            }
            let b = bytes[pos]
            if depth == 0 {
                if b == Self.dash, pos + 2 < n, bytes[pos + 1] == closer, bytes[pos + 2] == Self.rbrace {
                    tokens.append(
                        Token(kind: block ? .blockEnd : .variableEnd, value: block ? "-%}" : "-}}", offset: pos))
                    pos += 3
                    lstripNext = true
                    return true
                }
                if block, b == UInt8(ascii: "+"), pos + 2 < n, bytes[pos + 1] == closer, bytes[pos + 2] == Self.rbrace {
                    tokens.append(Token(kind: .blockEnd, value: "+%}", offset: pos))
                    pos += 3
                    return true
                }
                if b == closer, pos + 1 < n, bytes[pos + 1] == Self.rbrace {
                    tokens.append(
                        Token(kind: block ? .blockEnd : .variableEnd, value: block ? "%}" : "}}", offset: pos))
                    pos += 2
                    return true
                }
            }
            let start = pos
            if isIdentStart(b) {
                pos += 1
                while pos < n, isIdentStart(bytes[pos]) || isDigit(bytes[pos]) { pos += 1 }
                tokens.append(
                    Token(kind: .name, value: String(decoding: bytes[start..<pos], as: UTF8.self), offset: start))
            } else if isDigit(b) {
                var isFloat = false
                while pos < n, isDigit(bytes[pos]) || bytes[pos] == UInt8(ascii: "_") { pos += 1 }
                if pos + 1 < n, bytes[pos] == UInt8(ascii: "."), isDigit(bytes[pos + 1]) {
                    isFloat = true
                    pos += 1
                    while pos < n, isDigit(bytes[pos]) || bytes[pos] == UInt8(ascii: "_") { pos += 1 }
                }
                if pos < n, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
                    var j = pos + 1
                    if j < n, bytes[j] == UInt8(ascii: "+") || bytes[j] == UInt8(ascii: "-") { j += 1 }
                    if j < n, isDigit(bytes[j]) {
                        isFloat = true
                        pos = j
                        while pos < n, isDigit(bytes[pos]) { pos += 1 }
                    }
                }
                let spelled = String(decoding: bytes[start..<pos], as: UTF8.self).replacingOccurrences(
                    of: "_", with: "")
                tokens.append(Token(kind: isFloat ? .float : .integer, value: spelled, offset: start))
            } else if b == UInt8(ascii: "'") || b == UInt8(ascii: "\"") {
                guard let value = lexString(&pos, quote: b) else {
                    diagnostics.append(error("unterminated string", at: start))
                    return false
                }
                tokens.append(Token(kind: .string, value: value, offset: start))
            } else if let op = lexOperator(pos) {
                pos += op.utf8.count
                if op == "(" || op == "[" || op == "{" { depth += 1 }
                if op == ")" || op == "]" || op == "}" { depth = max(0, depth - 1) }
                tokens.append(Token(kind: .op, value: op, offset: start))
            } else {
                var end = pos + 1
                while end < n, bytes[end] & 0xC0 == 0x80 { end += 1 }
                let ch = String(decoding: bytes[pos..<end], as: UTF8.self)
                diagnostics.append(error("unexpected character '\(ch)'", at: pos))
                pos = end
            }
        }
    }

    private func isIdentStart(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || b == 95
    }
    private func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    private static let operatorStrings: [UInt8: String] = Dictionary(
        uniqueKeysWithValues: "+-*/%~<>=.,:|()[]{}".utf8.map { ($0, String(UnicodeScalar($0))) })

    private func lexOperator(_ pos: Int) -> String? {
        let a = bytes[pos]
        if pos + 1 < bytes.count {
            let b = bytes[pos + 1]
            switch (a, b) {
            case (UInt8(ascii: "/"), UInt8(ascii: "/")): return "//"
            case (UInt8(ascii: "*"), UInt8(ascii: "*")): return "**"
            case (UInt8(ascii: "="), UInt8(ascii: "=")): return "=="
            case (UInt8(ascii: "!"), UInt8(ascii: "=")): return "!="
            case (UInt8(ascii: "<"), UInt8(ascii: "=")): return "<="
            case (UInt8(ascii: ">"), UInt8(ascii: "=")): return ">="
            default: break
            }
        }
        return Self.operatorStrings[a]
    }

    /// Reads a quoted string with Python escapes; nil when unterminated.
    private func lexString(_ pos: inout Int, quote: UInt8) -> String? {
        var out: [UInt8] = []
        pos += 1
        while pos < bytes.count {
            let b = bytes[pos]
            if b == quote { pos += 1; return String(decoding: out, as: UTF8.self) }
            if b == UInt8(ascii: "\\"), pos + 1 < bytes.count {
                let e = bytes[pos + 1]
                pos += 2
                switch e {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "0"): out.append(0)
                case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): out.append(e)
                case UInt8(ascii: "\n"): break
                case UInt8(ascii: "u"), UInt8(ascii: "x"):
                    let count = e == UInt8(ascii: "u") ? 4 : 2
                    if pos + count <= bytes.count,
                        let code = UInt32(String(decoding: bytes[pos..<(pos + count)], as: UTF8.self), radix: 16),
                        let scalar = Unicode.Scalar(code)
                    {
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                        pos += count
                    } else {
                        out.append(UInt8(ascii: "\\")); out.append(e)
                    }
                default:
                    out.append(UInt8(ascii: "\\")); out.append(e)
                }
                continue
            }
            out.append(b)
            pos += 1
        }
        return nil
    }
}
