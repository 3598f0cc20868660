import Foundation
import ModelCompiler

/// One structured log event in dbt's format: `{"info": {name, code, msg, level, invocation_id,
/// pid, thread, ts, extra, category}, "data": {...}}`, with dbt's event names and codes
/// (`MainReportVersion` A001, `NodeStart` Q024, `NodeFinished` Q025, `CommandCompleted` Q039, ...).
public struct LogEvent: Sendable {
    /// dbt's levels, in increasing order.
    public enum Level: String, Sendable, CaseIterable, Comparable {
        case debug, info, warn, error, none

        public static func < (lhs: Level, rhs: Level) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var name: String
    public var code: String
    public var level: Level
    public var message: String
    public var data: [String: JSONValue]
    public var timestamp: Date

    public init(
        name: String, code: String, level: Level, message: String, data: [String: JSONValue] = [:],
        timestamp: Date = Date()
    ) {
        self.name = name
        self.code = code
        self.level = level
        self.message = message
        self.data = data
        self.timestamp = timestamp
    }

    /// An unstructured message (dbt's `Note`, Z050).
    public static func note(_ message: String, level: Level = .info) -> LogEvent {
        LogEvent(name: "Note", code: "Z050", level: level, message: message, data: ["msg": .string(message)])
    }

    /// The event as one JSON line (keys sorted, no newline).
    public func jsonLine(invocationId: String, thread: String = "MainThread") -> String {
        let info: [String: JSONValue] = [
            "name": .string(name), "code": .string(code), "msg": .string(message), "level": .string(level.rawValue),
            "invocation_id": .string(invocationId), "pid": .int(Int(getpid())), "thread": .string(thread),
            "ts": .string(UTCTimestamp.string(timestamp, fractionDigits: 6)), "extra": .object([:]),
            "category": .string(""),
        ]
        let object = JSONValue.object(["info": .object(info), "data": .object(data)])
        guard let encoded = try? JSONEncoder.artifacts().encode(object) else { return "{}" }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// The event as dbt's text log line: `HH:MM:SS  message` (with the level for `debug` format).
    public func textLine(debugFormat: Bool = false) -> String {
        let stamp = UTCTimestamp.string(timestamp, fractionDigits: 6)
        if debugFormat {
            return "\(stamp) [\(level.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0))]: \(message)"
        }
        let clock = String(stamp.dropFirst(11).prefix(8))
        return "\(clock)  \(message)"
    }
}
