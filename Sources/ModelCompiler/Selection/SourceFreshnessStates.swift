import Foundation

/// The newest load time of each source (`max_loaded_at` of `sources.json`) in this run and in the
/// earlier run of `--state`, for `source_status:fresher`: a source is fresher when it has been
/// loaded since, or was not checked before.
public struct SourceFreshnessStates: Sendable, Hashable {
    public var current: [String: String]
    public var previous: [String: String]

    public init(current: [String: String], previous: [String: String]) {
        self.current = current
        self.previous = previous
    }

    public func isFresher(_ uniqueId: String) -> Bool {
        guard let now = current[uniqueId].flatMap(Self.date) else { return false }
        guard let before = previous[uniqueId].flatMap(Self.date) else { return true }
        return now > before
    }

    /// ISO 8601 with or without fractional seconds and zone (dbt writes both).
    static func date(_ text: String) -> Date? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = withFraction.date(from: text) { return date }
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        return withFraction.date(from: text + "Z") ?? plain.date(from: text + "Z")
    }
}
