import Foundation

/// `run_started_at` and `modules.datetime`: the parts of Python's datetime that dbt projects use
/// (`strftime`, `isoformat`, `year`/`month`/`day`, `datetime.now()`, `date.today()`, `timedelta`).
enum DateValues {
    static func datetime(_ date: Date, utc: Bool = true) -> TemplateValue {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        let micro = (parts.nanosecond ?? 0) / 1000
        let text = String(
            format: "%04d-%02d-%02d %02d:%02d:%02d.%06d%@", parts.year!, parts.month!, parts.day!, parts.hour!,
            parts.minute!,
            parts.second!, micro, utc ? "+00:00" : "")
        return .object(
            TemplateObject(
                name: "datetime",
                attributes: [
                    "year": .int(parts.year!), "month": .int(parts.month!), "day": .int(parts.day!),
                    "hour": .int(parts.hour!),
                    "minute": .int(parts.minute!), "second": .int(parts.second!), "microsecond": .int(micro),
                    "strftime": .function(
                        TemplateFunction(name: "strftime") { args in
                            .string(strftime(date, args.positional.first?.description ?? "%Y-%m-%d"))
                        }),
                    "isoformat": .function(
                        TemplateFunction(name: "isoformat") { _ in
                            .string(text.replacingOccurrences(of: " ", with: "T"))
                        }),
                    "date": .function(TemplateFunction(name: "date") { _ in dateOnly(date) }),
                    "timestamp": .function(
                        TemplateFunction(name: "timestamp") { _ in .double(date.timeIntervalSince1970) }),
                ],
                text: text))
    }

    static func dateOnly(_ date: Date) -> TemplateValue {
        let text = strftime(date, "%Y-%m-%d")
        return .object(
            TemplateObject(
                name: "date",
                attributes: [
                    "strftime": .function(
                        TemplateFunction(name: "strftime") { args in
                            .string(strftime(date, args.positional.first?.description ?? "%Y-%m-%d"))
                        }),
                    "isoformat": .function(TemplateFunction(name: "isoformat") { _ in .string(text) }),
                    "year": .int(Int(strftime(date, "%Y"))!), "month": .int(Int(strftime(date, "%m"))!),
                    "day": .int(Int(strftime(date, "%d"))!),
                ],
                text: text))
    }

    /// `modules.datetime`.
    static var module: TemplateValue {
        let datetimeType = TemplateObject(
            name: "datetime.datetime",
            attributes: [
                "now": .function(TemplateFunction(name: "now") { _ in datetime(Date()) }),
                "utcnow": .function(TemplateFunction(name: "utcnow") { _ in datetime(Date(), utc: false) }),
            ])
        let dateType = TemplateObject(
            name: "datetime.date",
            attributes: ["today": .function(TemplateFunction(name: "today") { _ in dateOnly(Date()) })])
        return .object(
            TemplateObject(
                name: "module 'datetime'",
                attributes: [
                    "datetime": .object(datetimeType), "date": .object(dateType),
                    "timedelta": .function(
                        TemplateFunction(name: "timedelta") { args in
                            let days = args.keyword["days"]?.doubleValue ?? args.positional.first?.doubleValue ?? 0
                            let seconds =
                                days * 86400 + (args.keyword["hours"]?.doubleValue ?? 0) * 3600
                                + (args.keyword["minutes"]?.doubleValue ?? 0) * 60
                                + (args.keyword["seconds"]?.doubleValue ?? 0)
                            return .double(seconds)
                        }),
                ]))
    }

    /// C's strftime in UTC.
    static func strftime(_ date: Date, _ format: String) -> String {
        var time = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&time, &parts)
        var buffer = [Int8](repeating: 0, count: 256)
        let count = Foundation.strftime(&buffer, buffer.count, format, &parts)
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
