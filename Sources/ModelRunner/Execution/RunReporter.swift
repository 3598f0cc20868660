import Foundation
import ModelCompiler

/// Receives the progress of a run. Called from the run's coordinating thread only, in order.
public protocol RunReporter: Sendable {
    func nodeStarted(_ node: ManifestNode, index: Int, total: Int)
    func nodeFinished(_ node: ManifestNode, result: NodeResult, index: Int, total: Int)
    /// A node skipped because `cause` (a unique id) failed or was skipped.
    func nodeSkipped(_ node: ManifestNode, because cause: SkipReason, index: Int, total: Int)
    func runFinished(_ results: [NodeResult], nodes: [String: ManifestNode], elapsed: Double)
    /// A free-form line (hooks, lock waits).
    func note(_ text: String)
}

/// dbt's console format: `12 of 40 START table model analytics_gold.gold_x ..... [RUN]`.
public struct ConsoleReporter: RunReporter {
    public let write: @Sendable (String) -> Void
    public let colors: Bool
    public let showTimestamps: Bool

    /// Colours when stdout is a terminal and `NO_COLOR` is unset.
    public static var defaultColors: Bool {
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    public init(
        colors: Bool = ConsoleReporter.defaultColors, showTimestamps: Bool = true,
        write: @escaping @Sendable (String) -> Void = { line in
            FileHandle.standardOutput.write(Data((SecretEnvVars.scrubbed(line) + "\n").utf8))
        }
    ) {
        self.write = write
        self.colors = colors
        self.showTimestamps = showTimestamps
    }

    enum Colour: String { case green = "32", red = "31", yellow = "33" }

    func paint(_ text: String, _ colour: Colour) -> String {
        colors ? "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m" : text
    }

    func emit(_ text: String) {
        guard showTimestamps else { return write(text) }
        write(Self.clockTime(Date()) + "  " + text)
    }

    /// `HH:mm:ss` in the local time zone, as dbt prints it before each line. Formatted by hand:
    /// creating a `DateFormatter` per line was 8% of a 50-view run's CPU (perf).
    static func clockTime(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&seconds, &parts)
        func twoDigits(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return twoDigits(parts.tm_hour) + ":" + twoDigits(parts.tm_min) + ":" + twoDigits(parts.tm_sec)
    }

    /// `<prefix> ....... [<status>]` padded with dots to 80 characters, as dbt does.
    static func line(_ prefix: String, status: String) -> String {
        let visible = visibleLength(prefix)
        return prefix + " " + String(repeating: ".", count: max(0, 79 - visible)) + " [" + status + "]"
    }

    /// Characters shown on a terminal (ANSI colour sequences do not count).
    static func visibleLength(_ text: String) -> Int {
        var count = 0
        var inEscape = false
        for character in text {
            if inEscape { if character == "m" { inEscape = false }; continue }
            if character == "\u{1B}" { inEscape = true; continue }
            count += 1
        }
        return count
    }

    /// `table model analytics.orders`, `seed file analytics.countries`, `test not_null_orders_id`.
    static func describe(_ node: ManifestNode) -> String {
        switch node.resourceType {
        case .model: return "\(node.config.materializedName) model \(node.schema).\(node.alias)"
        case .seed: return "seed file \(node.schema).\(node.alias)"
        case .test, .unitTest: return "test \(node.name)"
        case .snapshot: return "snapshot \(node.schema).\(node.alias)"
        default: return "\(node.resourceType.rawValue) \(node.name)"
        }
    }

    public func nodeStarted(_ node: ManifestNode, index: Int, total: Int) {
        emit(Self.line("\(index) of \(total) START \(Self.describe(node))", status: "RUN"))
    }

    public func nodeFinished(_ node: ManifestNode, result: NodeResult, index: Int, total: Int) {
        let seconds = String(format: "%.2f", result.executionTime)
        let what = Self.describe(node)
        let progress = "\(index) of \(total)"
        switch result.status {
        case .success:
            let verb = node.resourceType == .seed ? "loaded" : "created"
            // dbt's wording for snapshots: `OK snapshotted schema.name`.
            let done = node.resourceType == .snapshot ? "snapshotted \(node.schema).\(node.alias)" : "\(verb) \(what)"
            emit(
                Self.line(
                    "\(progress) \(paint("OK", .green)) \(done)",
                    status: "\(paint(result.message, .green)) in \(seconds)s"))
        case .error:
            let verb = node.resourceType == .test ? "" : (node.resourceType == .seed ? "loading " : "creating ")
            emit(
                Self.line(
                    "\(progress) \(paint("ERROR", .red)) \(verb)\(what)",
                    status: "\(paint("ERROR", .red)) in \(seconds)s"))
        case .pass:
            emit(
                Self.line(
                    "\(progress) \(paint("PASS", .green)) \(node.name)",
                    status: "\(paint("PASS", .green)) in \(seconds)s"))
        case .fail:
            let count = result.failures.map { " \($0)" } ?? ""
            emit(
                Self.line(
                    "\(progress) \(paint("FAIL\(count)", .red)) \(node.name)",
                    status: "\(paint("FAIL\(count)", .red)) in \(seconds)s"))
        case .warn:
            let count = result.failures.map { " \($0)" } ?? ""
            emit(
                Self.line(
                    "\(progress) \(paint("WARN\(count)", .yellow)) \(node.name)",
                    status: "\(paint("WARN\(count)", .yellow)) in \(seconds)s"))
        case .skipped:
            emit(Self.line("\(progress) \(paint("SKIP", .yellow)) \(what)", status: paint("SKIP", .yellow)))
        }
    }

    public func nodeSkipped(_ node: ManifestNode, because cause: SkipReason, index: Int, total: Int) {
        let subject = node.resourceType == .test ? "test \(node.name)" : "relation \(node.schema).\(node.alias)"
        emit(
            Self.line(
                "\(index) of \(total) \(paint("SKIP", .yellow)) \(subject) because \(cause.explanation)",
                status: paint("SKIP", .yellow)))
    }

    public func note(_ text: String) { emit(text) }

    public func runFinished(_ results: [NodeResult], nodes: [String: ManifestNode], elapsed: Double) {
        let summary = RunSummary(results: results, nodes: nodes)
        write("")
        emit("Finished running \(summary.counts) in \(String(format: "%.2f", elapsed))s.")
        write("")
        let problems = results.filter { $0.status == .error || $0.status == .fail || $0.status == .warn }
        if summary.errors == 0 && summary.warnings == 0 {
            write(paint("Completed successfully", .green))
        } else {
            let title =
                summary.errors > 0
                ? "Completed with \(summary.errors) error\(summary.errors == 1 ? "" : "s") and \(summary.warnings) warning\(summary.warnings == 1 ? "" : "s"):"
                : "Completed with \(summary.warnings) warning\(summary.warnings == 1 ? "" : "s"):"
            write(paint(title, summary.errors > 0 ? .red : .yellow))
            for result in problems {
                write("")
                write(result.message)
            }
        }
        write("")
        write(
            "Done. PASS=\(summary.passes) WARN=\(summary.warnings) ERROR=\(summary.errors) SKIP=\(summary.skips) TOTAL=\(summary.total)"
        )
    }
}

/// Counts of a finished run, as dbt's final line reports them.
public struct RunSummary: Sendable, Hashable {
    public var passes = 0
    public var warnings = 0
    public var errors = 0
    public var skips = 0
    public var total: Int { passes + warnings + errors + skips }
    /// `3 models, 1 seed, 2 tests` (or `0 nodes`).
    public var counts: String

    public init(results: [NodeResult], nodes: [String: ManifestNode]) {
        var byType: [ResourceType: Int] = [:]
        for result in results {
            switch result.status {
            case .success, .pass: passes += 1
            case .warn: warnings += 1
            case .error, .fail: errors += 1
            case .skipped: skips += 1
            }
            if let type = nodes[result.uniqueId]?.resourceType { byType[type, default: 0] += 1 }
        }
        let names: [(ResourceType, String)] = [
            (.model, "model"), (.seed, "seed"), (.snapshot, "snapshot"), (.test, "test"), (.unitTest, "unit test"),
        ]
        let parts = names.compactMap { type, name in byType[type].map { "\($0) \(name)\($0 == 1 ? "" : "s")" } }
        counts = parts.isEmpty ? "0 nodes" : parts.joined(separator: ", ")
    }
}
