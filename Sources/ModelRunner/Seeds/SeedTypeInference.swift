/// The kind of one CSV value, as dbt-postgres 1.11's seed type inference sees it (agate's type
/// tester with dbt's types: Number, Date `%Y-%m-%d`, DateTime `%Y-%m-%d %H:%M:%S`, ISO 8601
/// date-times with a `T`, Boolean `true`/`false`, Text).
public enum SeedValueKind: Sendable, Equatable {
    case empty
    case boolean
    /// An integer that fits PostgreSQL's `integer`.
    case integer
    /// An integer that fits `bigint` (dbt would type the column `integer` and fail to load it).
    case bigint
    /// Any other number (a fraction, an exponent, more digits): dbt-postgres's `float8`.
    case float
    /// `YYYY-MM-DD`.
    case date
    /// `YYYY-MM-DD HH:MM:SS` exactly (agate's DateTime format).
    case timestamp
    /// `YYYY-MM-DDTHH[:MM[:SS[.fff]]][Z|±HH[:MM]]` (dbt's ISODateTime); loaded without the zone, as
    /// dbt-postgres types every date-time column `timestamp without time zone`.
    case isoTimestamp
    case text

    /// Classifies the bytes of one unescaped field.
    public static func classify<C: Collection>(_ bytes: C) -> SeedValueKind where C.Element == UInt8 {
        if let kind = bytes.withContiguousStorageIfAvailable({ classify($0) }) { return kind }
        return Array(bytes).withUnsafeBufferPointer { classify($0) }
    }

    /// Classifies the bytes of one unescaped field without building a string or allocating.
    public static func classify(_ bytes: UnsafeBufferPointer<UInt8>) -> SeedValueKind {
        if bytes.isEmpty { return .empty }
        if let kind = number(bytes) { return kind }
        if isBoolean(bytes) { return .boolean }
        if bytes.count >= 10, isDate(bytes, from: bytes.startIndex) {
            if bytes.count == 10 { return .date }
            let next = bytes[bytes.startIndex + 10]
            if next == UInt8(ascii: " "), isPlainTime(bytes, from: bytes.startIndex + 11) { return .timestamp }
            if next == UInt8(ascii: "T"), isISOTime(bytes, from: bytes.startIndex + 11) { return .isoTimestamp }
        }
        return .text
    }

    private static func isBoolean(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let i = bytes.startIndex
        if bytes.count == 4 {
            return bytes[i] | 0x20 == 0x74 && bytes[i + 1] | 0x20 == 0x72 && bytes[i + 2] | 0x20 == 0x75
                && bytes[i + 3] | 0x20 == 0x65  // true
        }
        if bytes.count == 5 {
            return bytes[i] | 0x20 == 0x66 && bytes[i + 1] | 0x20 == 0x61 && bytes[i + 2] | 0x20 == 0x6C
                && bytes[i + 3] | 0x20 == 0x73 && bytes[i + 4] | 0x20 == 0x65  // false
        }
        return false
    }

    @inline(__always)
    private static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    private static func number(_ bytes: UnsafeBufferPointer<UInt8>) -> SeedValueKind? {
        var i = bytes.startIndex
        let end = bytes.endIndex
        var negative = false
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var intDigits = 0
        var value: Int64 = 0
        var overflow = false
        while i < end, isDigit(bytes[i]) {
            let digit = Int64(bytes[i] &- 0x30)
            if !overflow {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.subtractingReportingOverflow(digit)  // accumulate negatively: fits Int64.min
                if o1 || o2 { overflow = true } else { value = a }
            }
            intDigits += 1
            i += 1
        }
        if i == end {
            guard intDigits > 0 else { return nil }
            if overflow { return .float }
            if !negative {
                if value == Int64.min { return .float }
                value = -value
            }
            return (Int64(Int32.min)...Int64(Int32.max)).contains(value) ? .integer : .bigint
        }
        var fractionDigits = 0
        if bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, isDigit(bytes[i]) {
                fractionDigits += 1
                i += 1
            }
        }
        guard intDigits + fractionDigits > 0 else { return nil }
        if i < end, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < end, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
            var exponentDigits = 0
            while i < end, isDigit(bytes[i]) {
                exponentDigits += 1
                i += 1
            }
            guard exponentDigits > 0 else { return nil }
        }
        return i == end ? .float : nil
    }

    private static func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ count: Int) -> Int? {
        guard from + count <= bytes.endIndex else { return nil }
        var value = 0
        for i in from..<(from + count) {
            guard isDigit(bytes[i]) else { return nil }
            value = value * 10 + Int(bytes[i] &- 0x30)
        }
        return value
    }

    /// `YYYY-MM-DD` at `from`, a real calendar date.
    private static func isDate(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Bool {
        guard let year = digits(bytes, from, 4), bytes[from + 4] == UInt8(ascii: "-"),
            let month = digits(bytes, from + 5, 2), bytes[from + 7] == UInt8(ascii: "-"),
            let day = digits(bytes, from + 8, 2), (1...12).contains(month), day >= 1
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        switch month {
        case 2: return day <= (leap ? 29 : 28)
        case 4, 6, 9, 11: return day <= 30
        default: return day <= 31
        }
    }

    /// `HH:MM:SS` from `start` to the end: agate's DateTime format, nothing more.
    private static func isPlainTime(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        guard start + 8 == bytes.endIndex, let hour = digits(bytes, start, 2), hour < 24,
            bytes[start + 2] == UInt8(ascii: ":"), let minute = digits(bytes, start + 3, 2), minute < 60,
            bytes[start + 5] == UInt8(ascii: ":"), let second = digits(bytes, start + 6, 2), second < 60
        else { return false }
        return true
    }

    /// `HH[:MM[:SS[(.|,)fff]]][Z|±HH[[:]MM]]` from `start` to the end, as ISO 8601 writes a time.
    private static func isISOTime(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        let end = bytes.endIndex
        var i = start
        guard let hour = digits(bytes, i, 2), hour < 24 else { return false }
        i += 2
        if i < end, bytes[i] == UInt8(ascii: ":") {
            guard let minute = digits(bytes, i + 1, 2), minute < 60 else { return false }
            i += 3
            if i < end, bytes[i] == UInt8(ascii: ":") {
                guard let second = digits(bytes, i + 1, 2), second < 60 else { return false }
                i += 3
                if i < end, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    let digitsStart = i
                    while i < end, isDigit(bytes[i]) { i += 1 }
                    guard i > digitsStart else { return false }
                }
            }
        }
        if i == end { return true }
        if bytes[i] == UInt8(ascii: "Z") { return i + 1 == end }
        guard bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-"),
            let zoneHour = digits(bytes, i + 1, 2), zoneHour <= 15
        else { return false }
        i += 3
        if i == end { return true }
        if bytes[i] == UInt8(ascii: ":") { i += 1 }
        guard let zoneMinute = digits(bytes, i, 2), zoneMinute < 60, i + 2 == end else { return false }
        return true
    }
}

/// Infers one column's PostgreSQL type from its values, in one pass, as dbt-postgres 1.11 does:
/// empty cells don't vote; a column with no value at all is `integer`; numbers with a fraction are
/// `double precision`; date-times are `timestamp without time zone` when all are written one way.
public struct ColumnTypeInference: Sendable, Equatable {
    private var sawValue = false
    private var allBoolean = true
    private var allInteger = true
    private var needsBigint = false
    private var allNumber = true
    private var allDate = true
    private var allTimestamp = true
    private var allISOTimestamp = true

    public init() {}

    /// Records one value.
    public mutating func add(_ kind: SeedValueKind) {
        if kind == .empty { return }
        sawValue = true
        if kind != .boolean { allBoolean = false }
        if kind != .integer, kind != .bigint { allInteger = false }
        if kind == .bigint { needsBigint = true }
        if kind != .integer, kind != .bigint, kind != .float { allNumber = false }
        if kind != .date { allDate = false }
        if kind != .timestamp { allTimestamp = false }
        if kind != .isoTimestamp { allISOTimestamp = false }
    }

    /// The type for the values seen.
    public var type: String {
        guard sawValue else { return "integer" }
        if allBoolean { return "boolean" }
        if allInteger { return needsBigint ? "bigint" : "integer" }
        if allNumber { return "double precision" }
        if allDate { return "date" }
        if allTimestamp || allISOTimestamp { return "timestamp without time zone" }
        return "text"
    }
}
