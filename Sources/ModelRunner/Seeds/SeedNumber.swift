/// A CSV value read as dbt's agate `Number` reads it (dbt-postgres 1.11 seeds): surrounding
/// whitespace, `%` at either end, one leading `-`, currency symbols at either end, `,` and `_`
/// anywhere are dropped, then what remains is a Python `Decimal` (`1.0`, `1e5`, `.5`, `5.`,
/// `Infinity`, `NaN`). Checked against dbt 1.11 by loading the same values with `dbt seed`
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

    /// The number, or nil when agate's `Number` rejects the value.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> SeedNumber? {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        guard start < end else { return nil }
        if let fast = plainNumber(bytes, start, end) { return fast }
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
    /// at least one side), an optional exponent; or `Inf`, `Infinity`, `NaN`, `sNaN` (any case).
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
        if word == "nan" || word == "snan" {
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
