/// A CSV value read as dbt's agate `Number` reads it (dbt-postgres 1.11 seeds): surrounding
/// whitespace, `%` at either end, one leading `-`, currency symbols at either end, `,` and `_`
/// anywhere are dropped, then what remains is a Python `Decimal` (`1.0`, `1e5`, `.5`, `5.`,
/// `Infinity`, `NaN`; not `sNaN`). Checked against dbt 1.11 by loading the same values with `dbt seed`
/// (see `SeedTypingTests`).
struct SeedNumber: Sendable, Equatable {
    enum Special: Sendable, Equatable { case nan, infinity }

    var negative: Bool
    /// Significant digits, no leading or trailing zeros (empty for zero).
    var digits: [UInt8]
    /// The value is `digits × 10^exponent`.
    var exponent: Int
    var special: Special?
    /// Whether PostgreSQL reads the raw text as the same number (`42`, `-3.5e2`, ` 7 `): then the
    /// file's bytes go to `COPY` unchanged; otherwise the value is rewritten (`1,234` → `1234`).
    var plain: Bool

    /// Decimal places after normalising (`1.50` has 1, `1.0` and `1e5` have 0): agate's
    /// `MaxPrecision`, which makes dbt type a column `float8` when it is above 0 for any value.
    var decimalPlaces: Int { special != nil ? 0 : max(0, -exponent) }

    private static let currencySymbols: [[UInt8]] = [
        "؋", "$", "ƒ", "៛", "¥", "₡", "₱", "£", "€", "¢", "﷼", "₪", "₩", "₭", "₮", "₦", "฿", "₤", "₫",
    ].map { Array($0.utf8) }

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    @inline(__always)
    private static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// What type inference needs of a number, read without allocating in the common case.
    struct Shape: Sendable, Equatable {
        /// Some decimal place once normalised (`2.5`, not `1.0` nor `1e5`).
        var hasDecimalPlaces: Bool
        /// The integer's value when it is one that fits 64 bits.
        var integer: Int64?
        var special: Bool
        var plain: Bool
    }

    /// The number's shape, or nil when agate's `Number` rejects the value.
    static func shape(_ bytes: UnsafeBufferPointer<UInt8>) -> Shape? {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        guard start < end else { return nil }
        if let fast = plainShape(bytes, start, end) { return fast }
        // Only digits, signs, `.`, `e`, `%`, `,`, `_`, currency symbols and the letters of
        // `Infinity` and `NaN` can make a Number: anything else is not one (most text ends here).
        for i in start..<end {
            let b = bytes[i]
            if isDigit(b) || b >= 0x80 { continue }
            switch b | 0x20 {
            case UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "n"), UInt8(ascii: "f"), UInt8(ascii: "t"),
                UInt8(ascii: "y"), UInt8(ascii: "a"):
                continue
            default: break
            }
            switch b {
            case UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "%"), UInt8(ascii: ","),
                UInt8(ascii: "_"), UInt8(ascii: "$"), 0x09...0x0D, 0x20:
                continue
            default: return nil
            }
        }
        guard let number = parse(bytes) else { return nil }
        return Shape(
            hasDecimalPlaces: number.decimalPlaces > 0, integer: number.int64, special: number.special != nil,
            plain: number.plain)
    }

    /// `[+-]?digits[.digits][e[+-]digits]` of up to 19 digits, without allocating; nil otherwise.
    private static func plainShape(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Shape? {
        var i = start
        var negative = false
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var digitCount = 0
        var exponent = 0
        var sawDigit = false
        while i < end, isDigit(bytes[i]) {
            sawDigit = true
            if mantissa != 0 || bytes[i] != UInt8(ascii: "0") { digitCount += 1 }
            mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 0x30)
            i += 1
        }
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, isDigit(bytes[i]) {
                sawDigit = true
                if mantissa != 0 || bytes[i] != UInt8(ascii: "0") { digitCount += 1 }
                mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 0x30)
                exponent -= 1
                i += 1
            }
        }
        guard sawDigit, digitCount <= 19 else { return nil }
        if i < end, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var exponentNegative = false
            if i < end, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var value = 0
            var count = 0
            while i < end, isDigit(bytes[i]) {
                if value < 1_000_000_000 { value = value * 10 + Int(bytes[i] &- 0x30) }
                count += 1
                i += 1
            }
            guard count > 0 else { return nil }
            exponent += exponentNegative ? -value : value
        }
        guard i == end else { return nil }
        if mantissa == 0 { return Shape(hasDecimalPlaces: false, integer: 0, special: false, plain: true) }
        while mantissa % 10 == 0 {
            mantissa /= 10
            exponent += 1
        }
        if exponent < 0 { return Shape(hasDecimalPlaces: true, integer: nil, special: false, plain: true) }
        var value = mantissa
        var fits = exponent <= 19
        if fits {
            for _ in 0..<exponent {
                let (m, o) = value.multipliedReportingOverflow(by: 10)
                if o { fits = false; break }
                value = m
            }
        }
        var integer: Int64?
        if fits {
            if negative {
                integer =
                    value <= UInt64(Int64.max) + 1 ? (value == UInt64(Int64.max) + 1 ? Int64.min : -Int64(value)) : nil
            } else {
                integer = value <= UInt64(Int64.max) ? Int64(value) : nil
            }
        }
        return Shape(hasDecimalPlaces: false, integer: integer, special: false, plain: true)
    }

    /// The number, or nil when agate's `Number` rejects the value.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> SeedNumber? {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        guard start < end else { return nil }
        if let fast = plainNumber(bytes, start, end) { return fast }
        // Without a leading `-` (agate's own sign, then Decimal's: `- 5`, `--5`), a byte the slow path
        // drops or a special word, the slow path reads what the fast path read.
        var first = bytes[start]
        if first == UInt8(ascii: "+"), start + 1 < end { first = bytes[start + 1] }
        let word =
            first | 0x20 == UInt8(ascii: "i") || first | 0x20 == UInt8(ascii: "n") || first | 0x20 == UInt8(ascii: "s")
        if !word, first != UInt8(ascii: "-"),
            !UnsafeBufferPointer(rebasing: bytes[start..<end]).contains(where: {
                $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "$")
                    || $0 >= 0x80
            })
        {
            return nil
        }
        // The slow path, agate's steps in order.
        var text = Array(bytes[start..<end])
        while text.first == UInt8(ascii: "%") { text.removeFirst() }
        while text.last == UInt8(ascii: "%") { text.removeLast() }
        var negative = false
        if text.first == UInt8(ascii: "-") {
            negative = true
            text.removeFirst()
        }
        for symbol in currencySymbols {
            while text.starts(with: symbol) { text.removeFirst(symbol.count) }
            while text.count >= symbol.count, Array(text.suffix(symbol.count)) == symbol {
                text.removeLast(symbol.count)
            }
        }
        text.removeAll { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "_") }
        guard var number = text.withUnsafeBufferPointer({ decimal($0) }) else { return nil }
        if negative { number.negative.toggle() }
        number.plain = false
        return number
    }

    /// `[+-]?digits[.digits][e[+-]digits]` exactly (the common case, readable by PostgreSQL as is).
    private static func plainNumber(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> SeedNumber? {
        let first = bytes[start]
        guard isDigit(first) || first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
        else { return nil }
        guard let number = decimal(UnsafeBufferPointer(rebasing: bytes[start..<end])), number.special == nil else {
            return nil
        }
        return number
    }

    /// Python's `Decimal(text)` after whitespace: sign, digits with an optional point (a digit on
    /// at least one side), an optional exponent; or `Inf`, `Infinity`, `NaN` (any case).
    private static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> SeedNumber? {
        var i = bytes.startIndex
        var end = bytes.endIndex
        while i < end, isSpace(bytes[i]) { i += 1 }
        while end > i, isSpace(bytes[end - 1]) { end -= 1 }
        guard i < end else { return nil }
        var negative = false
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<end]), as: UTF8.self).lowercased()
        if word == "inf" || word == "infinity" {
            return SeedNumber(negative: negative, digits: [], exponent: 0, special: .infinity, plain: false)
        }
        if word == "nan" {  // `sNaN` is a Decimal, but agate's sign product rejects it
            return SeedNumber(negative: false, digits: [], exponent: 0, special: .nan, plain: false)
        }
        var digits: [UInt8] = []
        var exponent = 0
        var sawDigit = false
        while i < end, isDigit(bytes[i]) {
            sawDigit = true
            if !(digits.isEmpty && bytes[i] == UInt8(ascii: "0")) { digits.append(bytes[i]) }
            i += 1
        }
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, isDigit(bytes[i]) {
                sawDigit = true
                exponent -= 1
                if !(digits.isEmpty && bytes[i] == UInt8(ascii: "0")) { digits.append(bytes[i]) }
                i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < end, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var exponentNegative = false
            if i < end, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var value = 0
            var count = 0
            while i < end, isDigit(bytes[i]) {
                // Past a billion the value is out of every range anyway: keep it from overflowing.
                if value < 1_000_000_000 { value = value * 10 + Int(bytes[i] &- 0x30) }
                count += 1
                i += 1
            }
            guard count > 0 else { return nil }
            exponent += exponentNegative ? -value : value
        }
        guard i == end else { return nil }
        while digits.last == UInt8(ascii: "0") {
            digits.removeLast()
            exponent += 1
        }
        if digits.isEmpty { exponent = 0 }
        return SeedNumber(negative: negative, digits: digits, exponent: exponent, special: nil, plain: true)
    }

    /// The value as an integer when it is one that fits 64 bits.
    var int64: Int64? {
        guard special == nil, exponent >= 0, digits.count + exponent <= 19 else { return nil }
        var value: Int64 = 0
        for digit in digits + [UInt8](repeating: UInt8(ascii: "0"), count: exponent) {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.subtractingReportingOverflow(Int64(digit &- 0x30))  // negatively: fits Int64.min
            if o1 || o2 { return nil }
            value = a
        }
        if negative { return value }
        return value == Int64.min ? nil : -value
    }

    /// The text PostgreSQL reads as this number: `-1234`, `15e-1`, `NaN`, `-Infinity`.
    var canonicalText: [UInt8] {
        switch special {
        case .nan: return Array("NaN".utf8)
        case .infinity: return Array((negative ? "-Infinity" : "Infinity").utf8)
        case nil: break
        }
        if digits.isEmpty { return [UInt8(ascii: "0")] }
        var text: [UInt8] = negative ? [UInt8(ascii: "-")] : []
        text += digits
        if exponent > 0, exponent <= 400 {
            text += [UInt8](repeating: UInt8(ascii: "0"), count: exponent)
        } else if exponent != 0 {
            text += Array("e\(exponent)".utf8)
        }
        return text
    }
}
