/// The kind of one CSV value, as dbt-postgres 1.11's seed type inference sees it (agate's type
/// tester with dbt's types: Number, Date `%Y-%m-%d`, DateTime `%Y-%m-%d %H:%M:%S`, ISO 8601
/// date-times with a `T`, Boolean `true`/`false`, Text).
public enum SeedValueKind: Sendable, Equatable {
    case empty
    /// `null` in any case, spaces around: a NULL for dbt's agate, in every column.
    case null
    case boolean
    /// An integer (no decimal place once normalised: `1.0`, `1e5`, `1,234`) that fits `integer`.
    case integer
    /// An integer that fits `bigint` (dbt would type the column `integer` and fail to load it).
    case bigint
    /// Any other number (decimal places, or past 64 bits): dbt-postgres's `float8`.
    case float
    /// `YYYY-MM-DD` (`%Y-%m-%d`: one-digit months and days too).
    case date
    /// `YYYY-MM-DD HH:MM:SS` (agate's DateTime format `%Y-%m-%d %H:%M:%S`).
    case timestamp
    /// `YYYY-MM-DDTHH[:MM[:SS[.fff]]][Z|±HH[:MM]]` (dbt's ISODateTime); loaded without the zone, as
    /// dbt-postgres types every date-time column `timestamp without time zone`.
    case isoTimestamp
    case text

    /// Classifies the bytes of one unescaped field.
    public static func classify<C: Collection>(_ bytes: C) -> SeedValueKind where C.Element == UInt8 {
        SeedValueClass.of(bytes).kind
    }

    /// Classifies the bytes of one unescaped field without building a string or allocating.
    public static func classify(_ bytes: UnsafeBufferPointer<UInt8>) -> SeedValueKind {
        SeedValueClass.of(bytes).kind
    }
}

/// One value's kind, and whether PostgreSQL reads its raw text as the value dbt loads.
public struct SeedValueClass: Sendable, Equatable {
    public var kind: SeedValueKind
    /// PostgreSQL reads the raw text as the value in a column of its kind (numbers: in a `double
    /// precision` column); false for `null`, `1,234`, `$5`, `tr,ue`, which are rewritten.
    public var plain: Bool
    /// For integers: written with digits alone, so `integer` and `bigint` read it as is (not `1.0`, `1e5`).
    public var digitsOnly: Bool

    public static func of<C: Collection>(_ bytes: C) -> SeedValueClass where C.Element == UInt8 {
        if let value = bytes.withContiguousStorageIfAvailable({ of($0) }) { return value }
        return Array(bytes).withUnsafeBufferPointer { of($0) }
    }

    public static func of(_ bytes: UnsafeBufferPointer<UInt8>) -> SeedValueClass {
        if bytes.isEmpty { return SeedValueClass(kind: .empty, plain: true, digitsOnly: true) }
        if let number = SeedNumber.shape(bytes) {
            let kind: SeedValueKind
            if number.hasDecimalPlaces {
                kind = .float
            } else if let value = number.integer {
                kind = (Int64(Int32.min)...Int64(Int32.max)).contains(value) ? .integer : .bigint
            } else {
                kind = number.special ? .integer : .float
            }
            return SeedValueClass(kind: kind, plain: number.plain, digitsOnly: number.plain && isDigitsOnly(bytes))
        }
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, SeedNumber.isSpace(bytes[start]) { start += 1 }
        while end > start, SeedNumber.isSpace(bytes[end - 1]) { end -= 1 }
        let trimmed = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if trimmed.isEmpty || isWord(trimmed, "null") {
            return SeedValueClass(kind: .null, plain: false, digitsOnly: false)
        }
        if isWord(trimmed, "true") || isWord(trimmed, "false") {
            return SeedValueClass(kind: .boolean, plain: true, digitsOnly: false)
        }
        if trimmed.contains(UInt8(ascii: ",")),
            trimmed.count(where: { $0 != UInt8(ascii: ",") && !SeedNumber.isSpace($0) }) <= 5
        {
            // agate's Boolean drops commas, then spaces: `tr,ue` is true and `nul,l` a NULL, in a
            // boolean column only (agate's other types keep the commas).
            var word = trimmed.filter { $0 != UInt8(ascii: ",") }
            while let first = word.first, SeedNumber.isSpace(first) { word.removeFirst() }
            while let last = word.last, SeedNumber.isSpace(last) { word.removeLast() }
            let boolean =
                word.count <= 5
                && word.withUnsafeBufferPointer { w in
                    isWord(trimmed: w, "true") || isWord(trimmed: w, "false") || isWord(trimmed: w, "null")
                }
            if boolean { return SeedValueClass(kind: .boolean, plain: false, digitsOnly: false) }
        }
        return SeedValueClass(kind: dateKind(trimmed), plain: true, digitsOnly: false)
    }

    /// `[+-]?digits` with spaces around.
    private static func isDigitsOnly(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var sawDigit = false
        var i = bytes.startIndex
        while i < bytes.endIndex, SeedNumber.isSpace(bytes[i]) { i += 1 }
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
        while i < bytes.endIndex, bytes[i] &- 0x30 < 10 {
            sawDigit = true
            i += 1
        }
        while i < bytes.endIndex, SeedNumber.isSpace(bytes[i]) { i += 1 }
        return sawDigit && i == bytes.endIndex
    }

    /// Whether the bytes spell `word` (lower-case ASCII) in any case.
    private static func isWord(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        isWord(trimmed: bytes, word)
    }

    private static func isWord(trimmed bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        let letters = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for (a, b) in zip(bytes, letters) where a | 0x20 != b { return false }
        return true
    }

    private static func dateKind(_ bytes: UnsafeBufferPointer<UInt8>) -> SeedValueKind {
        guard let dateEnd = dateLength(bytes) else { return .text }
        let at = bytes.startIndex + dateEnd
        if at == bytes.endIndex { return .date }
        if bytes[at] == UInt8(ascii: " "), isPlainTime(bytes, from: at + 1) { return .timestamp }
        if bytes[at] == UInt8(ascii: "T"), dateEnd == 10, isISOTime(bytes, from: at + 1) { return .isoTimestamp }
        return .text
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

    @inline(__always)
    private static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// One or two digits at `from` (as `strptime`'s `%m`, `%d`, `%H`, `%M`, `%S` read them): the
    /// value and the index after them.
    private static func shortNumber(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int) -> (value: Int, end: Int)? {
        guard from < bytes.endIndex, isDigit(bytes[from]) else { return nil }
        var value = Int(bytes[from] &- 0x30)
        var end = from + 1
        if end < bytes.endIndex, isDigit(bytes[end]) {
            value = value * 10 + Int(bytes[end] &- 0x30)
            end += 1
        }
        return (value, end)
    }

    /// The length of a `%Y-%m-%d` date (a real calendar date) at the start of `bytes`.
    private static func dateLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let from = bytes.startIndex
        guard bytes.count >= 8, let year = digits(bytes, from, 4), bytes[from + 4] == UInt8(ascii: "-"),
            let month = shortNumber(bytes, from + 5), month.end < bytes.endIndex,
            bytes[month.end] == UInt8(ascii: "-"), let day = shortNumber(bytes, month.end + 1),
            (1...12).contains(month.value), day.value >= 1
        else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days: Int
        switch month.value {
        case 2: days = leap ? 29 : 28
        case 4, 6, 9, 11: days = 30
        default: days = 31
        }
        return day.value <= days ? day.end - from : nil
    }

    /// `H:M:S` (one or two digits each) from `start` to the end: agate's DateTime format.
    private static func isPlainTime(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        guard let hour = shortNumber(bytes, start), hour.value < 24, hour.end < bytes.endIndex,
            bytes[hour.end] == UInt8(ascii: ":"), let minute = shortNumber(bytes, hour.end + 1), minute.value < 60,
            minute.end < bytes.endIndex, bytes[minute.end] == UInt8(ascii: ":"),
            let second = shortNumber(bytes, minute.end + 1), second.value < 60
        else { return false }
        return second.end == bytes.endIndex
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
/// empty and `null` cells don't vote; a column with no value at all is `integer`; numbers with a
/// decimal place are `double precision`; date-times are `timestamp without time zone` when all are
/// written one way. Also says whether the column's raw text must be rewritten for `COPY`.
public struct ColumnTypeInference: Sendable, Equatable {
    private var sawValue = false
    private var allBoolean = true
    private var allInteger = true
    private var needsBigint = false
    private var allNumber = true
    private var allDate = true
    private var allTimestamp = true
    private var allISOTimestamp = true
    private var sawNull = false
    private var numberNotPlain = false
    private var integerNotDigits = false
    private var booleanNotPlain = false

    public init() {}

    /// Records one value.
    public mutating func add(_ kind: SeedValueKind) {
        add(SeedValueClass(kind: kind, plain: true, digitsOnly: true))
    }

    /// Records one value.
    public mutating func add(_ value: SeedValueClass) {
        let kind = value.kind
        if kind == .empty { return }
        if kind == .null {
            sawNull = true
            return
        }
        sawValue = true
        if kind != .boolean { allBoolean = false } else if !value.plain { booleanNotPlain = true }
        if kind != .integer, kind != .bigint {
            allInteger = false
        } else if !value.digitsOnly {
            integerNotDigits = true
        }
        if kind == .bigint { needsBigint = true }
        if kind != .integer, kind != .bigint, kind != .float {
            allNumber = false
        } else if !value.plain {
            numberNotPlain = true
        }
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

    /// Whether some value of the column, typed `type`, is not read by PostgreSQL as dbt loads it
    /// (`null`, `1.0` in an integer column, `1,234`): then the values are rewritten for `COPY`.
    public var needsRewrite: Bool {
        if sawNull { return true }
        guard sawValue else { return false }
        if allBoolean { return booleanNotPlain }
        if allInteger { return integerNotDigits || numberNotPlain }
        if allNumber { return numberNotPlain }
        return false
    }

    /// Whether a `null` cell was seen (rewritten to NULL whatever the column's type).
    public var sawNullWord: Bool { sawNull }
}
