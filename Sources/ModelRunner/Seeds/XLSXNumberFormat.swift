import Foundation

/// What a cell's number format makes of its number: a plain number, a date, a date and time, or
/// a time of day; and the conversion of Excel serial numbers (days since 1899-12-30, or since
/// 1904-01-01 in 1904-based workbooks) to the text PostgreSQL reads.
public enum XLSXNumberFormat {
    public enum Kind: Sendable, Equatable {
        case number, date, dateTime, time
    }

    /// The kind of a built-in format id, or of a custom format's code.
    public static func kind(id: Int, customCode: String?) -> Kind {
        if let customCode { return kind(code: customCode) }
        switch id {
        case 14...17, 27...36, 50...58: return .date
        case 22: return .dateTime
        case 18...21, 45...47: return .time
        default: return .number
        }
    }

    /// A format code is a date or time when, outside quoted text, `[...]` sections (colours,
    /// locales) and escaped characters, it uses day, month, year, hour or second placeholders.
    public static func kind(code: String) -> Kind {
        // Only the first section (positive numbers) decides; `E+00` is a number's exponent.
        var hasDate = false
        var hasTime = false
        var inQuote = false
        var inBracket = false
        var escaped = false
        for character in code {
            if escaped {
                escaped = false
                continue
            }
            if inQuote {
                if character == "\"" { inQuote = false }
                continue
            }
            if inBracket {
                // `[h]`, `[mm]`, `[ss]` are elapsed times; `[Red]`, `[$-40C]` are not placeholders.
                if "hHsS".contains(character) { hasTime = true }
                if character == "]" { inBracket = false }
                continue
            }
            switch character {
            case "\\", "_", "*": escaped = true
            case "\"": inQuote = true
            case "[": inBracket = true
            case ";": return hasDate ? (hasTime ? .dateTime : .date) : (hasTime ? .time : .number)
            case "d", "D", "y", "Y": hasDate = true
            case "m", "M": hasDate = hasDate || !hasTime
            case "h", "H", "s", "S": hasTime = true
            default: break
            }
        }
        return hasDate ? (hasTime ? .dateTime : .date) : (hasTime ? .time : .number)
    }

    /// The text of an Excel serial number in a date, date-time or time cell; nil when the serial
    /// is not a date Excel can show (negative, or 1900-02-29, which Excel counts but never existed).
    public static func text(serial: Double, kind: Kind, date1904: Bool) -> String? {
        guard serial.isFinite, serial >= 0 else { return nil }
        var days = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if seconds >= 86_400 {
            days += 1
            seconds -= 86_400
        }
        let time = String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        if kind == .time { return time }
        let daysFromUnixEpoch: Int
        if date1904 {
            daysFromUnixEpoch = days - 24_107  // 1904-01-01 is 24,107 days before 1970-01-01
        } else {
            if days == 60 { return nil }  // 1900-02-29, kept by Excel for Lotus 1-2-3
            // Serial 1 is 1900-01-01; past the phantom leap day, serials run from 1899-12-30.
            daysFromUnixEpoch = days < 60 ? days - 25_568 : days - 25_569
        }
        let (year, month, day) = civilDate(daysFromUnixEpoch)
        let date = String(format: "%04d-%02d-%02d", year, month, day)
        switch kind {
        case .date where seconds == 0: return date
        default: return date + " " + time
        }
    }

    /// Year, month and day of a count of days since 1970-01-01 (proleptic Gregorian calendar).
    static func civilDate(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// A stored number as seed text: whole values without a fraction (`59019.0` and `5.9019E4`
    /// are `59019`, so an integer column stays integer), others as plain decimals.
    public static func plainNumber(_ stored: String) -> String? {
        var text = stored
        if text.contains(where: { $0 == "e" || $0 == "E" }) {
            guard let decimal = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
            text = "\(decimal)"
        }
        guard text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "+") }),
            text.contains(where: \.isNumber)
        else { return nil }
        if text.hasPrefix("+") { text.removeFirst() }
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        if text == "-0" { text = "0" }
        return text
    }
}
