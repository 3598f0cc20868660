import Foundation

/// dbt 1.10's `--sample`: refs and sources whose target has an `event_time` config read only the
/// rows of a time window, `(select * from x where <event_time> >= 'start' and <event_time> < 'end')`.
/// Given as a relative `"3 days"` (hour, day, month or year: from the start of the current unit
/// that many units back, up to now) or a mapping `{start: 2024-07-01, end: "2024-07-08 18:00:00"}`.
public struct SampleWindow: Sendable, Hashable {
    public var start: Date
    public var end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    /// Parses `--sample`; times are UTC.
    public static func parse(_ text: String, now: Date = Date()) throws(Diagnostic) -> SampleWindow {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("{") {
            guard let object = try? YAMLNode.parse(trimmed, file: "--sample").json.objectValue,
                let startText = object["start"]?.stringValue, let start = date(startText)
            else {
                throw Diagnostic.error(
                    "sample.invalid",
                    "--sample must be like '3 days' or '{start: 2024-07-01, end: 2024-07-08}', not '\(text)'")
            }
            let end =
                try object["end"]?.stringValue.map { (endText: String) throws(Diagnostic) -> Date in
                    guard let parsed = date(endText) else {
                        throw Diagnostic.error("sample.invalid", "--sample end '\(endText)' is not a date")
                    }
                    return parsed
                } ?? now
            return SampleWindow(start: start, end: end)
        }
        let parts = trimmed.split(separator: " ").map(String.init)
        guard parts.count == 2, let count = Int(parts[0]) else {
            throw Diagnostic.error(
                "sample.invalid", "--sample must be like '3 days' (a count and hour, day, month or year), not '\(text)'"
            )
        }
        var unit = parts[1].lowercased()
        if unit.hasSuffix("s") { unit.removeLast() }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components: Set<Calendar.Component>
        let step: Calendar.Component
        switch unit {
        case "hour": components = [.year, .month, .day, .hour]; step = .hour
        case "day": components = [.year, .month, .day]; step = .day
        case "month": components = [.year, .month]; step = .month
        case "year": components = [.year]; step = .year
        default:
            throw Diagnostic.error(
                "sample.grain", "--sample grain '\(parts[1])' must be hour, day, month or year (or their plurals)")
        }
        let truncated = calendar.date(from: calendar.dateComponents(components, from: now))!
        return SampleWindow(start: calendar.date(byAdding: step, value: -count, to: truncated)!, end: now)
    }

    /// The filter on `field`, as dbt writes it: `field >= 'start' and field < 'end'`.
    public func filter(_ field: String) -> String {
        "\(field) >= '\(Self.text(start))' and \(field) < '\(Self.text(end))'"
    }

    /// `2024-09-16 00:00:00+00:00`, as Python prints an aware datetime.
    static func text(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date) + "+00:00"
    }

    static func date(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        for format in ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
