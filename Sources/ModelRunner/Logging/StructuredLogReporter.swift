import Foundation
import ModelCompiler

/// A run's progress as dbt's structured events through a `LogOutput`: `LogStartLine` and
/// `NodeStart` when a node starts, `NodeFinished` and `LogModelResult`/`LogTestResult`/
/// `LogSeedResult` when it ends, `SkippingDetails`, then `EndOfRunSummary` and `StatsLine`. On a
/// text console the lines are `ConsoleReporter`'s.
public final class StructuredLogReporter: RunReporter, @unchecked Sendable {
    let output: LogOutput
    let colors: Bool
    private let lock = NSLock()
    private var startedAt: [String: Date] = [:]

    public init(output: LogOutput, colors: Bool) {
        self.output = output
        self.colors = colors
    }

    /// The lines `ConsoleReporter` prints for one callback: coloured and timestamped for the
    /// console, plain for the event's `msg`.
    private func lines(_ body: (ConsoleReporter) -> Void) -> (console: [String], plain: [String]) {
        final class Buffer: @unchecked Sendable { var lines: [String] = [] }
        let console = Buffer(), plain = Buffer()
        body(ConsoleReporter(colors: colors, showTimestamps: true) { console.lines.append($0) })
        body(ConsoleReporter(colors: false, showTimestamps: false) { plain.lines.append($0) })
        return (console.lines, plain.lines)
    }

    /// dbt's `node_info` object.
    func nodeInfo(_ node: ManifestNode, status: String, started: Date?, finished: Date?) -> JSONValue {
        var relation: [String: JSONValue] = [
            "database": .string(node.database ?? ""), "schema": .string(node.schema), "alias": .string(node.alias),
            "relation_name": .string(node.relationName ?? ""),
        ]
        if node.resourceType == .test || node.resourceType == .unitTest { relation["relation_name"] = .string("") }
        return .object([
            "node_path": .string(node.path), "node_name": .string(node.name), "unique_id": .string(node.uniqueId),
            "resource_type": .string(node.resourceType.rawValue),
            "materialized": .string(
                node.resourceType == .model
                    ? node.config.materializedName
                    : (node.config["materialized"]?.stringValue ?? node.resourceType.rawValue)),
            "node_status": .string(status),
            "node_started_at": .string(started.map { UTCTimestamp.string($0, fractionDigits: 6) } ?? ""),
            "node_finished_at": .string(finished.map { UTCTimestamp.string($0, fractionDigits: 6) } ?? ""),
            "meta": .object(node.meta), "node_relation": .object(relation),
            "node_checksum": .string(node.checksum.checksum),
        ])
    }

    public func nodeStarted(_ node: ManifestNode, index: Int, total: Int) {
        let now = Date()
        lock.withLock { startedAt[node.uniqueId] = now }
        let info = nodeInfo(node, status: "started", started: now, finished: nil)
        let text = lines { $0.nodeStarted(node, index: index, total: total) }
        output.emit(
            LogEvent(
                name: "LogStartLine", code: "Q011", level: .info, message: text.plain.first ?? "",
                data: [
                    "node_info": info, "description": .string(ConsoleReporter.describe(node)), "index": .int(index),
                    "total": .int(total),
                ]), text: text.console.first.map { .custom($0) } ?? .hidden)
        output.emit(
            LogEvent(
                name: "NodeStart", code: "Q024", level: .debug, message: "Began running node \(node.uniqueId)",
                data: ["node_info": info]),
            structured: true)
    }

    public func nodeFinished(_ node: ManifestNode, result: NodeResult, index: Int, total: Int) {
        let now = Date()
        let started = lock.withLock { startedAt.removeValue(forKey: node.uniqueId) } ?? result.timing.first?.startedAt
        let info = nodeInfo(node, status: result.status.rawValue, started: started, finished: now)
        let text = lines { $0.nodeFinished(node, result: result, index: index, total: total) }
        let level: LogEvent.Level =
            result.status == .error || result.status == .fail ? .error : (result.status == .warn ? .warn : .info)
        let plain = text.plain.first ?? ""
        let console: LogOutput.TextConsole = text.console.first.map { .custom($0) } ?? .hidden
        switch node.resourceType {
        case .test, .unitTest:
            output.emit(
                LogEvent(
                    name: "LogTestResult", code: "Q007", level: level, message: plain,
                    data: [
                        "node_info": info, "name": .string(node.name), "status": .string(result.status.rawValue),
                        "index": .int(index),
                        "num_models": .int(total), "execution_time": .double(result.executionTime),
                        "num_failures": .int(result.failures ?? 0),
                        "attached_node": .string(node.attachedNode ?? ""),
                    ]), text: console)
        case .seed:
            output.emit(
                LogEvent(
                    name: "LogSeedResult", code: "Q016", level: level, message: plain,
                    data: [
                        "node_info": info, "status": .string(result.status.rawValue),
                        "result_message": .string(result.message),
                        "index": .int(index), "total": .int(total), "execution_time": .double(result.executionTime),
                        "schema": .string(node.schema), "relation": .string(node.alias),
                    ]), text: console)
        default:
            output.emit(
                LogEvent(
                    name: "LogModelResult", code: "Q012", level: level, message: plain,
                    data: [
                        "node_info": info, "description": .string(ConsoleReporter.describe(node)),
                        "status": .string(result.status.rawValue),
                        "index": .int(index), "total": .int(total), "execution_time": .double(result.executionTime),
                    ]), text: console)
        }
        let runResult: JSONValue = .object([
            "status": .string(result.status.rawValue), "message": .string(result.message),
            "thread": .string(result.threadId),
            "execution_time": .double(result.executionTime), "num_failures": .int(result.failures ?? 0),
            "adapter_response": .object(result.rowsAffected.map { ["rows_affected": .int($0)] } ?? [:]),
            "timing_info": .array(
                result.timing.map {
                    .object([
                        "name": .string($0.name),
                        "started_at": .string(UTCTimestamp.string($0.startedAt, fractionDigits: 6)),
                        "completed_at": .string(UTCTimestamp.string($0.completedAt, fractionDigits: 6)),
                    ])
                }),
        ])
        output.emit(
            LogEvent(
                name: "NodeFinished", code: "Q025", level: .debug, message: "Finished running node \(node.uniqueId)",
                data: ["node_info": info, "run_result": runResult]),
            structured: true, thread: result.threadId.isEmpty ? "MainThread" : result.threadId)
    }

    public func nodeSkipped(_ node: ManifestNode, because cause: SkipReason, index: Int, total: Int) {
        let now = Date()
        let info = nodeInfo(node, status: "skipped", started: now, finished: now)
        let text = lines { $0.nodeSkipped(node, because: cause, index: index, total: total) }
        output.emit(
            LogEvent(
                name: "SkippingDetails", code: "Q034", level: .info, message: text.plain.first ?? "",
                data: [
                    "node_info": info, "resource_type": .string(node.resourceType.rawValue),
                    "schema": .string(node.schema),
                    "node_name": .string(node.name), "index": .int(index), "total": .int(total),
                ]), text: text.console.first.map { .custom($0) } ?? .hidden)
        output.emit(
            LogEvent(
                name: "NodeFinished", code: "Q025", level: .debug, message: "Finished running node \(node.uniqueId)",
                data: [
                    "node_info": info,
                    "run_result": .object([
                        "status": .string("skipped"), "message": .string("skipped because \(cause)"),
                        "thread": .string(""),
                        "execution_time": .double(0), "num_failures": .int(0), "adapter_response": .object([:]),
                        "timing_info": .array([]),
                    ]),
                ]), structured: true)
    }

    public func runFinished(_ results: [NodeResult], nodes: [String: ManifestNode], elapsed: Double) {
        let text = lines { $0.runFinished(results, nodes: nodes, elapsed: elapsed) }
        for (console, plain) in zip(text.console, text.plain) {
            output.emit(.note(plain), text: .custom(console))
        }
        let summary = RunSummary(results: results, nodes: nodes)
        output.emit(
            LogEvent(
                name: "EndOfRunSummary", code: "Z030", level: .info, message: "",
                data: [
                    "num_errors": .int(summary.errors), "num_warnings": .int(summary.warnings),
                    "keyboard_interrupt": .bool(false),
                    "num_partial_success": .int(0),
                ]), text: .hidden)
        output.emit(
            LogEvent(
                name: "StatsLine", code: "Z023", level: .info, message: text.plain.last ?? "",
                data: [
                    "stats": .object([
                        "pass": .int(summary.passes), "warn": .int(summary.warnings), "error": .int(summary.errors),
                        "skip": .int(summary.skips), "total": .int(summary.total),
                    ])
                ]), text: .hidden)
    }

    public func note(_ text: String) {
        output.emit(.note(text), text: .custom(lines { $0.note(text) }.console.first ?? text))
    }
}
