import Foundation
import ModelCompiler

/// `sqlt source freshness`: for each selected source table with a `freshness` rule, the newest
/// load time (`max(loaded_at_field)` with its `filter`, or the `loaded_at_query`), its age, and
/// `pass`/`warn`/`error` against `warn_after`/`error_after`; `target/sources.json` in dbt's v3 shape.
public enum SourceFreshness {
    /// One `warn_after`/`error_after`: `{count: 12, period: hour}`.
    public struct Threshold: Sendable, Hashable {
        public var count: Int
        public var period: String

        public var seconds: Double {
            let unit: Double = period == "minute" ? 60 : (period == "day" ? 86_400 : 3_600)
            return Double(count) * unit
        }

        var json: JSONValue { .object(["count": .int(count), "period": .string(period)]) }
    }

    /// A table's rule as the property file (or its `config:`) declares it.
    public struct Rule: Sendable, Hashable {
        public var warnAfter: Threshold?
        public var errorAfter: Threshold?
        public var filter: String?
        public var loadedAtField: String?
        public var loadedAtQuery: String?

        /// The rule of a source, nil when it has none (no thresholds or `freshness: null`).
        public init?(_ source: SourceDefinition) throws(Diagnostic) {
            let object = (source.config["freshness"] ?? source.freshness)?.objectValue ?? [:]
            func threshold(_ key: String) throws(Diagnostic) -> Threshold? {
                guard let entry = object[key]?.objectValue, let count = entry["count"]?.intValue else { return nil }
                let period = entry["period"]?.stringValue ?? "hour"
                guard ["minute", "hour", "day"].contains(period) else {
                    throw Diagnostic.error(
                        "freshness.period",
                        "freshness \(key).period of source '\(source.sourceName).\(source.name)' must be minute, hour or day, not '\(period)'",
                        at: source.declaredAt)
                }
                return Threshold(count: count, period: period)
            }
            warnAfter = try threshold("warn_after")
            errorAfter = try threshold("error_after")
            filter = object["filter"]?.stringValue
            loadedAtField = source.config["loaded_at_field"]?.stringValue ?? source.loadedAtField
            loadedAtQuery = source.config["loaded_at_query"]?.stringValue
            if warnAfter == nil && errorAfter == nil { return nil }
            if loadedAtField == nil && loadedAtQuery == nil {
                throw Diagnostic.error(
                    "freshness.no-field",
                    "source '\(source.sourceName).\(source.name)' has a freshness rule but no loaded_at_field or loaded_at_query",
                    at: source.declaredAt)
            }
        }

        /// `pass`, `warn` or `error` for an age in seconds.
        public func status(age: Double) -> String {
            if let errorAfter, age > errorAfter.seconds { return "error" }
            if let warnAfter, age > warnAfter.seconds { return "warn" }
            return "pass"
        }

        var criteria: JSONValue {
            .object([
                "warn_after": warnAfter?.json ?? .object([:]), "error_after": errorAfter?.json ?? .object([:]),
                "filter": filter.map(JSONValue.string) ?? .null,
            ])
        }
    }

    /// One table's outcome: an entry of sources.json's `results`.
    public struct Result: Sendable {
        public var uniqueId: String
        public var status: String
        public var maxLoadedAt: Date?
        public var snapshottedAt: Date?
        public var age: Double?
        public var error: String?
        public var rule: Rule
        public var startedAt: Date
        public var completedAt: Date

        public var json: JSONValue {
            let timing = JSONValue.array([
                .object([
                    "name": .string("compile"), "started_at": .string(stamp(startedAt)),
                    "completed_at": .string(stamp(startedAt)),
                ]),
                .object([
                    "name": .string("execute"), "started_at": .string(stamp(startedAt)),
                    "completed_at": .string(stamp(completedAt)),
                ]),
            ])
            if let error {
                return .object([
                    "unique_id": .string(uniqueId), "status": .string("runtime error"), "error": .string(error),
                ])
            }
            return .object([
                "unique_id": .string(uniqueId), "status": .string(status),
                "max_loaded_at": .string(maxLoadedAt.map(stamp) ?? ""),
                "snapshotted_at": .string(snapshottedAt.map(stamp) ?? ""),
                "max_loaded_at_time_ago_in_s": .double(age ?? 0), "criteria": rule.criteria,
                "adapter_response": .object([:]),
                "timing": timing, "thread_id": .string("Thread-1"),
                "execution_time": .double(completedAt.timeIntervalSince(startedAt)),
            ])
        }
    }

    /// The query of a rule: the newest load time and the server's clock, both in UTC.
    public static func query(_ rule: Rule, relation: String) -> String {
        if let loadedAtQuery = rule.loadedAtQuery {
            var body = loadedAtQuery
            while let last = body.last, last.isWhitespace || last == ";" { body.removeLast() }
            return "select (\(body))::timestamptz as max_loaded_at, now() as snapshotted_at"
        }
        let filter = rule.filter.map { "\nwhere \($0)" } ?? ""
        return
            "select max(\(rule.loadedAtField ?? "null"))::timestamptz as max_loaded_at, now() as snapshotted_at\nfrom \(relation)\(filter)"
    }

    /// Checks one table on `session` (whose time zone is set to UTC first).
    public static func check(_ source: SourceDefinition, rule: Rule, session: any DatabaseSession) -> Result {
        let started = Date()
        do {
            try session.executeScript("set time zone 'UTC'")
            let row =
                try session.execute(
                    "select to_char(max_loaded_at, 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), to_char(snapshotted_at, 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), "
                        + "extract(epoch from snapshotted_at - max_loaded_at)::float8 from (\(query(rule, relation: source.relationName))) as freshness"
                ).rows.first ?? []
            let loaded = row.first.flatMap { $0 }.flatMap(parse)
            let snapshotted = row.count > 1 ? row[1].flatMap(parse) : nil
            // A table with no row is as stale as it gets: dbt reports an age against the epoch.
            let age = row.count > 2 ? row[2].flatMap(Double.init) ?? (snapshotted?.timeIntervalSince1970 ?? 0) : 0
            return Result(
                uniqueId: source.uniqueId, status: rule.status(age: age),
                maxLoadedAt: loaded ?? Date(timeIntervalSince1970: 0),
                snapshottedAt: snapshotted, age: age, rule: rule, startedAt: started, completedAt: Date())
        } catch {
            return Result(
                uniqueId: source.uniqueId, status: "runtime error", error: "\(error)", rule: rule, startedAt: started,
                completedAt: Date())
        }
    }

    /// `target/sources.json` (dbt's sources v3 artifact).
    public static func artifact(
        _ results: [Result], invocationId: String, generatedAt: Date, elapsed: Double
    ) throws -> Data {
        let object = JSONValue.object([
            "metadata": .object([
                "dbt_schema_version": .string("https://schemas.getdbt.com/dbt/sources/v3.json"),
                "dbt_version": .string(SqltVersion.current), "generated_at": .string(stamp(generatedAt)),
                "invocation_id": .string(invocationId), "env": .object(["SQLT_VERSION": .string(SqltVersion.current)]),
            ]),
            "results": .array(results.map(\.json)), "elapsed_time": .double(elapsed),
        ])
        return try JSONEncoder.artifacts().encode(object)
    }

    /// `max_loaded_at` of each source in an earlier sources.json (for `source_status:fresher`).
    public static func maxLoadedAt(inArtifact data: Data) -> [String: String] {
        guard let root = try? JSONDecoder().decode(JSONValue.self, from: data),
            let results = root.objectValue?["results"]?.arrayValue
        else { return [:] }
        var times: [String: String] = [:]
        for entry in results {
            guard let object = entry.objectValue, let id = object["unique_id"]?.stringValue,
                let time = object["max_loaded_at"]?.stringValue
            else { continue }
            times[id] = time
        }
        return times
    }

    /// dbt's events of one check: `LogStartLine` before, `LogFreshnessResult` after (the console
    /// lines `N of M START freshness of s.t ... [RUN]` and `N of M PASS freshness of s.t ... [PASS in 0.01s]`).
    public static func startEvent(_ source: SourceDefinition, index: Int, total: Int, at date: Date) -> LogEvent {
        let line = ConsoleReporter.line(
            "\(index) of \(total) START freshness of \(source.sourceName).\(source.name)", status: "RUN")
        return LogEvent(
            name: "LogStartLine", code: "Q011", level: .info, message: line,
            data: [
                "description": .string("freshness of \(source.sourceName).\(source.name)"), "index": .int(index),
                "total": .int(total),
                "node_info": nodeInfo(source, status: "started", started: date, finished: nil),
            ])
    }

    public static func resultEvent(_ source: SourceDefinition, _ result: Result, index: Int, total: Int) -> LogEvent {
        let status = result.error == nil ? result.status : "runtime error"
        let shown = result.error == nil ? status.uppercased() : "ERROR"
        let seconds = String(format: "%.2f", result.completedAt.timeIntervalSince(result.startedAt))
        let line = ConsoleReporter.line(
            "\(index) of \(total) \(shown) freshness of \(source.sourceName).\(source.name)",
            status: "\(shown) in \(seconds)s")
        let level: LogEvent.Level = status == "pass" ? .info : (status == "warn" ? .warn : .error)
        return LogEvent(
            name: "LogFreshnessResult", code: "Q018", level: level,
            message: line + (result.error.map { "\n  " + $0 } ?? ""),
            data: [
                "status": .string(status), "index": .int(index), "total": .int(total),
                "execution_time": .double(result.completedAt.timeIntervalSince(result.startedAt)),
                "source_name": .string(source.sourceName), "table_name": .string(source.name),
                "node_info": nodeInfo(source, status: status, started: result.startedAt, finished: result.completedAt),
            ])
    }

    static func nodeInfo(_ source: SourceDefinition, status: String, started: Date?, finished: Date?) -> JSONValue {
        .object([
            "node_path": .string(source.originalFilePath), "node_name": .string(source.name),
            "unique_id": .string(source.uniqueId),
            "resource_type": .string("source"), "materialized": .string(""), "node_status": .string(status),
            "node_started_at": .string(started.map(stamp) ?? ""),
            "node_finished_at": .string(finished.map(stamp) ?? ""),
            "meta": .object(source.meta),
            "node_relation": .object([
                "database": .string(source.database ?? ""), "schema": .string(source.schema),
                "alias": .string(source.identifier),
                "relation_name": .string(source.relationName),
            ]),
        ])
    }

    static func stamp(_ date: Date) -> String { UTCTimestamp.string(date, fractionDigits: 6) }

    static func parse(_ text: String) -> Date? {
        let parts = text.split(separator: ".")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        guard let whole = formatter.date(from: String(parts[0])) else { return nil }
        let fraction = parts.count > 1 ? (Double("0." + parts[1]) ?? 0) : 0
        return whole.addingTimeInterval(fraction)
    }
}
