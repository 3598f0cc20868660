/// How a plain YAML scalar (unquoted, not a `|` or `>` block) is typed: the implicit types of
/// YAML 1.1, matched with the same patterns as dbt's PyYAML resolver, except that a float needs
/// no dot (`1e3` is a float, as sqlt always read it).
///
/// - null: empty, `~`, `null`, `Null`, `NULL`;
/// - bool: `true`/`false`, `yes`/`no`, `on`/`off`, each in lower case, capitalized or upper case;
/// - int: decimal, `0x` hex, `0o` or leading-`0` octal, `0b` binary, base 60 (`1:30`), with an
///   optional sign and `_` separators;
/// - float: `1.5`, `1e3`, `.5`, base 60 with a fraction, `.inf`, `-.inf`, `.nan`;
/// - anything else is a string (an int too large for `Int` is a float).
///
/// Works on the scalar's UTF-8 bytes so that the common case, a word, costs one look at its
/// first byte before its `String` is made.
enum YAMLScalar {
    /// The value of a plain scalar written as `bytes`.
    static func value(plain bytes: UnsafeBufferPointer<UInt8>) -> JSONValue {
        guard let first = bytes.first else { return .null }
        switch first {
        case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"),
            UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "o"),
            UInt8(ascii: "O"):
            if bytes.count <= 5, let value = keywords.first(where: { bytes.elementsEqual($0.text.utf8) })?.value {
                return value
            }
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
            if let value = integer(bytes) ?? float(bytes) { return value }
        default:
            break
        }
        return .string(String(decoding: bytes, as: UTF8.self))
    }

    /// The null and bool words of YAML 1.1.
    private static let keywords: [(text: String, value: JSONValue)] = {
        var words: [(String, JSONValue)] = [("~", .null)]
        for (word, value) in [
            ("null", JSONValue.null), ("true", .bool(true)), ("false", .bool(false)), ("yes", .bool(true)),
            ("no", .bool(false)), ("on", .bool(true)), ("off", .bool(false)),
        ] {
            for variant in [word, word.prefix(1).uppercased() + word.dropFirst(), word.uppercased()] {
                words.append((variant, value))
            }
        }
        return words
    }()

    // MARK: Numbers

    /// `[-+]?(0b[01_]+ | 0o?[0-7_]+ | 0 | [1-9][0-9_]* | 0x[0-9a-fA-F_]+ | [1-9][0-9_]*(:[0-5]?[0-9])+)`.
    private static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        var cursor = Cursor(bytes)
        let negative = cursor.sign()
        let radix: Int
        let digitsStart: Int
        if cursor.skip("0b") {
            radix = 2
            digitsStart = cursor.index
            guard cursor.skip(while: { $0 == 0x30 || $0 == 0x31 || $0 == underscore }) > 0 else { return nil }
        } else if cursor.skip("0x") {
            radix = 16
            digitsStart = cursor.index
            guard cursor.skip(while: { isHexDigit($0) || $0 == underscore }) > 0 else { return nil }
        } else if cursor.peek == UInt8(ascii: "0") {
            cursor.index += 1
            if cursor.atEnd { return .int(0) }
            cursor.skip("o")
            radix = 8
            digitsStart = cursor.index
            guard cursor.skip(while: { ($0 >= 0x30 && $0 <= 0x37) || $0 == underscore }) > 0 else { return nil }
        } else if let first = cursor.peek, first >= UInt8(ascii: "1"), first <= UInt8(ascii: "9") {
            radix = 10
            digitsStart = cursor.index
            cursor.skip(while: { isDigit($0) || $0 == underscore })
            if cursor.peek == UInt8(ascii: ":") {
                guard cursor.skipBase60Groups(), cursor.atEnd else { return nil }
                return base60(bytes, negative: negative).flatMap { Int(exactly: $0) }.map { .int($0) }
            }
        } else {
            return nil
        }
        guard cursor.atEnd else { return nil }
        let digits = withoutUnderscores(bytes[digitsStart...])
        return Int(negative ? "-" + digits : digits, radix: radix).map { .int($0) }
    }

    /// `[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)? | \.[0-9_]+([eE][-+][0-9]+)?
    /// | [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]* | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN)`.
    private static func float(_ bytes: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        var cursor = Cursor(bytes)
        let signed = cursor.peek == UInt8(ascii: "-") || cursor.peek == UInt8(ascii: "+")
        let negative = cursor.sign()
        if cursor.peek == UInt8(ascii: ".") {
            cursor.index += 1
            let rest = bytes[cursor.index...]
            if ["inf", "Inf", "INF"].contains(where: { rest.elementsEqual($0.utf8) }) {
                return .double(negative ? -.infinity : .infinity)
            }
            if !signed, ["nan", "NaN", "NAN"].contains(where: { rest.elementsEqual($0.utf8) }) { return .double(.nan) }
            guard !signed, cursor.skip(while: { isDigit($0) || $0 == underscore }) > 0 else { return nil }
            // Here the exponent needs its sign.
            if cursor.skip("e") || cursor.skip("E") {
                guard cursor.skip("-") || cursor.skip("+"), cursor.skip(while: isDigit) > 0 else { return nil }
            }
        } else {
            guard let first = cursor.peek, isDigit(first) else { return nil }
            cursor.skip(while: { isDigit($0) || $0 == underscore })
            if cursor.peek == UInt8(ascii: ":") {
                guard cursor.skipBase60Groups(), cursor.skip(".") else { return nil }
                cursor.skip(while: { isDigit($0) || $0 == underscore })
                guard cursor.atEnd else { return nil }
                return base60(bytes, negative: negative).map { .double($0) }
            }
            if cursor.skip(".") { cursor.skip(while: { isDigit($0) || $0 == underscore }) }
            if cursor.skip("e") || cursor.skip("E") {
                _ = cursor.sign()
                guard cursor.skip(while: isDigit) > 0 else { return nil }
            }
        }
        guard cursor.atEnd else { return nil }
        return Double(withoutUnderscores(bytes[...])).map { .double($0) }
    }

    /// A base 60 number such as `-1:30:15.5`: each `:` group counts 60 times less than the previous.
    private static func base60(_ bytes: UnsafeBufferPointer<UInt8>, negative: Bool) -> Double? {
        var text = withoutUnderscores(bytes[...])
        if text.hasPrefix("-") || text.hasPrefix("+") { text.removeFirst() }
        var value = 0.0
        for group in text.split(separator: ":") {
            guard let number = Double(group) else { return nil }
            value = value * 60 + number
        }
        return negative ? -value : value
    }

    private static let underscore = UInt8(ascii: "_")
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }

    private static func withoutUnderscores(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        String(decoding: bytes.lazy.filter { $0 != underscore }, as: UTF8.self)
    }

    /// A position in a scalar's bytes while matching one of the number patterns.
    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }
        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        /// Skips a leading `+` or `-`; true when it was `-`.
        mutating func sign() -> Bool {
            guard let byte = peek, byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") else { return false }
            index += 1
            return byte == UInt8(ascii: "-")
        }

        /// Skips `text` if the bytes continue with it.
        @discardableResult
        mutating func skip(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard bytes.count - index >= count else { return false }
            for offset in 0..<count where bytes[index + offset] != text.utf8Start[offset] { return false }
            index += count
            return true
        }

        /// Skips the bytes that satisfy `predicate`; returns how many.
        @discardableResult
        mutating func skip(while predicate: (UInt8) -> Bool) -> Int {
            let start = index
            while let byte = peek, predicate(byte) { index += 1 }
            return index - start
        }

        /// Skips one or more `:[0-5]?[0-9]` groups.
        mutating func skipBase60Groups() -> Bool {
            var groups = 0
            while peek == UInt8(ascii: ":") {
                index += 1
                let remaining = bytes.count - index
                if remaining >= 2, bytes[index] >= 0x30, bytes[index] <= 0x35, isDigit(bytes[index + 1]) {
                    index += 2
                } else if remaining >= 1, isDigit(bytes[index]) {
                    index += 1
                } else {
                    return false
                }
                groups += 1
            }
            return groups > 0
        }
    }
}
