import Foundation

/// `modules.datetime` and `modules.pytz` as dbt packages use them: `date(y, m, d)`,
/// `datetime(y, m, d, h, mi, s, us, tzinfo=...)`, `datetime.now()`/`today()`/`utcnow()`,
/// `date.today()`, `timedelta(...)`, `replace(...)`, `strftime`, `isoformat`, and `+`/`-` between
/// dates, datetimes and timedeltas. Values print as Python prints them.
enum PythonDatetime {
    /// A calendar moment: seconds since the epoch of its wall-clock time (as if UTC), plus the
    /// zone's offset when it is aware.
    struct Moment: Sendable {
        var wall: Double
        var offset: Int?
        var isDate: Bool

        static var calendar: Calendar {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            return calendar
        }

        var parts: DateComponents {
            Self.calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .second, .weekday],
                from: Date(timeIntervalSince1970: wall.rounded(.down)))
        }
        var microsecond: Int { Int(((wall - wall.rounded(.down)) * 1_000_000).rounded()) }

        static func make(
            _ y: Int, _ m: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0, _ us: Int = 0
        ) throws -> Double {
            guard (1...12).contains(m), (1...31).contains(d), (0...23).contains(h), (0...59).contains(mi),
                (0...59).contains(s)
            else {
                throw TemplateError("date value out of range")
            }
            let components = DateComponents(year: y, month: m, day: d, hour: h, minute: mi, second: s)
            guard let date = calendar.date(from: components), calendar.component(.day, from: date) == d else {
                throw TemplateError("day is out of range for month")
            }
            return date.timeIntervalSince1970 + Double(us) / 1_000_000
        }

        var text: String {
            let p = parts
            let day = String(format: "%04d-%02d-%02d", p.year!, p.month!, p.day!)
            if isDate { return day }
            var out = day + String(format: " %02d:%02d:%02d", p.hour!, p.minute!, p.second!)
            if microsecond != 0 { out += String(format: ".%06d", microsecond) }
            if let offset {
                let sign = offset < 0 ? "-" : "+"
                out += String(format: "%@%02d:%02d", sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
            }
            return out
        }

        func strftime(_ format: String) -> String {
            let expanded = format.replacingOccurrences(of: "%f", with: String(format: "%06d", microsecond))
            return DateValues.strftime(Date(timeIntervalSince1970: wall.rounded(.down)), expanded)
        }
    }

    static func value(_ moment: Moment) -> TemplateValue {
        let p = moment.parts
        var attributes: [String: TemplateValue] = [
            "year": .int(p.year!), "month": .int(p.month!), "day": .int(p.day!),
            "strftime": .function(
                TemplateFunction(name: "strftime") { args in
                    .string(moment.strftime(args.argument(0, "format")?.description ?? "%Y-%m-%d"))
                }),
            "isoformat": .function(
                TemplateFunction(name: "isoformat") { _ in .string(moment.text.replacingOccurrences(of: " ", with: "T"))
                }),
            "weekday": .function(TemplateFunction(name: "weekday") { _ in .int((p.weekday! + 5) % 7) }),
            "isoweekday": .function(TemplateFunction(name: "isoweekday") { _ in .int((p.weekday! + 5) % 7 + 1) }),
            "replace": .function(
                TemplateFunction(name: "replace") { args in
                    let q = moment.parts
                    func part(_ key: String, _ current: Int) -> Int { args.keyword[key]?.intValue ?? current }
                    var copy = moment
                    copy.wall = try Moment.make(
                        part("year", q.year!), part("month", q.month!), part("day", q.day!), part("hour", q.hour!),
                        part("minute", q.minute!), part("second", q.second!), part("microsecond", moment.microsecond))
                    if let tz = args.keyword["tzinfo"] { copy.offset = tz.isNone ? nil : offset(of: tz, at: copy.wall) }
                    return value(copy)
                }),
            "__add__": .function(
                TemplateFunction(name: "__add__") { args in try arithmetic(moment, args.positional.first, sign: 1) }),
            "__sub__": .function(
                TemplateFunction(name: "__sub__") { args in try arithmetic(moment, args.positional.first, sign: -1) }),
            "__moment__": .double(moment.wall),
        ]
        if !moment.isDate {
            attributes["hour"] = .int(p.hour!)
            attributes["minute"] = .int(p.minute!)
            attributes["second"] = .int(p.second!)
            attributes["microsecond"] = .int(moment.microsecond)
            attributes["date"] = .function(
                TemplateFunction(name: "date") { _ in
                    value(
                        Moment(
                            wall: moment.wall.rounded(.down) - Double(Int(moment.wall.rounded(.down)) % 86400),
                            offset: nil, isDate: true))
                })
            attributes["timestamp"] = .function(
                TemplateFunction(name: "timestamp") { _ in .double(moment.wall - Double(moment.offset ?? 0)) })
        }
        return .object(
            TemplateObject(name: moment.isDate ? "date" : "datetime", attributes: attributes, text: moment.text))
    }

    /// `moment ± timedelta`, or `moment - moment` (a timedelta).
    static func arithmetic(_ moment: Moment, _ other: TemplateValue?, sign: Double) throws -> TemplateValue {
        guard case .object(let object)? = other else { throw TemplateError("unsupported operand type for a date") }
        if let seconds = object.attribute("__seconds__")?.doubleValue {
            var copy = moment
            copy.wall += sign * seconds
            if moment.isDate { copy.wall = (copy.wall / 86400).rounded(.down) * 86400 }
            return value(copy)
        }
        if sign < 0, let wall = object.attribute("__moment__")?.doubleValue {
            return timedelta(seconds: moment.wall - wall)
        }
        throw TemplateError("unsupported operand type(s) for date arithmetic: '\(object.name)'")
    }

    static func timedelta(seconds: Double) -> TemplateValue {
        let days = Int((seconds / 86400).rounded(.down))
        let rest = seconds - Double(days) * 86400
        let h = Int(rest) / 3600, m = Int(rest) % 3600 / 60, s = Int(rest) % 60
        var text = String(format: "%d:%02d:%02d", h, m, s)
        if days != 0 { text = "\(days) day\(abs(days) == 1 ? "" : "s"), " + text }
        return .object(
            TemplateObject(
                name: "timedelta",
                attributes: [
                    "days": .int(days), "seconds": .int(Int(rest)), "__seconds__": .double(seconds),
                    "total_seconds": .function(TemplateFunction(name: "total_seconds") { _ in .double(seconds) }),
                    "__add__": .function(
                        TemplateFunction(name: "__add__") { args in
                            guard case .object(let o)? = args.positional.first,
                                let other = o.attribute("__seconds__")?.doubleValue
                            else {
                                throw TemplateError("unsupported operand type for timedelta")
                            }
                            return timedelta(seconds: seconds + other)
                        }),
                ], text: text))
    }

    /// The UTC offset in seconds of a `pytz.timezone(...)` value at a wall-clock moment.
    static func offset(of tz: TemplateValue, at wall: Double) -> Int? {
        guard case .object(let zone) = tz, let name = zone.attribute("zone")?.stringValue,
            let timeZone = TimeZone(identifier: name)
        else { return nil }
        return timeZone.secondsFromGMT(
            for: Date(
                timeIntervalSince1970: wall - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: wall)))))
    }

    static func now(_ args: CallArguments, utc: Bool) -> TemplateValue {
        let now = Date().timeIntervalSince1970
        if let tz = args.argument(0, "tz"), !tz.isNone, case .object(let zone) = tz,
            let name = zone.attribute("zone")?.stringValue,
            let timeZone = TimeZone(identifier: name)
        {
            let offset = timeZone.secondsFromGMT(for: Date())
            return value(Moment(wall: now + Double(offset), offset: offset, isDate: false))
        }
        return value(Moment(wall: now, offset: nil, isDate: false))
    }

    static var module: TemplateValue {
        let datetimeType = TemplateObject(
            name: "type 'datetime.datetime'",
            attributes: [
                "now": .function(TemplateFunction(name: "now") { args in now(args, utc: false) }),
                "today": .function(TemplateFunction(name: "today") { args in now(args, utc: false) }),
                "utcnow": .function(TemplateFunction(name: "utcnow") { args in now(args, utc: true) }),
            ],
            text: "<class 'datetime.datetime'>",
            call: TemplateFunction(name: "datetime") { args in
                func int(_ i: Int, _ key: String, _ fallback: Int? = nil) throws -> Int {
                    guard let v = args.argument(i, key)?.intValue ?? fallback else {
                        throw TemplateError("datetime() missing required argument '\(key)'")
                    }
                    return v
                }
                let wall = try Moment.make(
                    try int(0, "year"), try int(1, "month"), try int(2, "day"), try int(3, "hour", 0),
                    try int(4, "minute", 0),
                    try int(5, "second", 0), try int(6, "microsecond", 0))
                let tz = args.argument(7, "tzinfo")
                return value(
                    Moment(wall: wall, offset: tz.flatMap { $0.isNone ? nil : offset(of: $0, at: wall) }, isDate: false)
                )
            })
        let dateType = TemplateObject(
            name: "type 'datetime.date'",
            attributes: [
                "today": .function(
                    TemplateFunction(name: "today") { _ in
                        let now = Date().timeIntervalSince1970
                        return value(Moment(wall: (now / 86400).rounded(.down) * 86400, offset: nil, isDate: true))
                    })
            ],
            text: "<class 'datetime.date'>",
            call: TemplateFunction(name: "date") { args in
                guard let y = args.argument(0, "year")?.intValue, let m = args.argument(1, "month")?.intValue,
                    let d = args.argument(2, "day")?.intValue
                else { throw TemplateError("date() needs year, month and day") }
                return value(Moment(wall: try Moment.make(y, m, d), offset: nil, isDate: true))
            })
        return .object(
            TemplateObject(
                name: "module 'datetime'",
                attributes: [
                    "datetime": .object(datetimeType), "date": .object(dateType),
                    "timedelta": .function(
                        TemplateFunction(name: "timedelta") { args in
                            var seconds =
                                (args.argument(0, "days")?.doubleValue ?? 0) * 86400
                                + (args.argument(1, "seconds")?.doubleValue ?? 0)
                            seconds += (args.argument(2, "microseconds")?.doubleValue ?? 0) / 1_000_000
                            seconds += (args.argument(3, "milliseconds")?.doubleValue ?? 0) / 1000
                            seconds +=
                                (args.argument(4, "minutes")?.doubleValue ?? 0) * 60
                                + (args.argument(5, "hours")?.doubleValue ?? 0) * 3600
                            seconds += (args.argument(6, "weeks")?.doubleValue ?? 0) * 7 * 86400
                            return timedelta(seconds: seconds)
                        }),
                ]))
    }

    /// `modules.pytz`: `timezone(name)` (prints as its name; an unknown name is an error) and `utc`.
    static var pytz: TemplateValue {
        let zone = { @Sendable (name: String) -> TemplateValue in
            .object(TemplateObject(name: "tzinfo", attributes: ["zone": .string(name)], text: name))
        }
        return .object(
            TemplateObject(
                name: "module 'pytz'",
                attributes: [
                    "timezone": .function(
                        TemplateFunction(name: "timezone") { args in
                            let name = args.argument(0, "zone")?.description ?? ""
                            guard TimeZone(identifier: name) != nil else {
                                throw TemplateError("unknown time zone '\(name)'")
                            }
                            return zone(name)
                        }),
                    "utc": zone("UTC"), "UTC": zone("UTC"),
                ]))
    }
}
