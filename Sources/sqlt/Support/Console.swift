import Foundation
import ModelCompiler
import ModelRunner

/// Writing to the terminal and the log file. Until `configure` runs (commands without a
/// project), plain text to stdout/stderr. After it, every line is an event of `LogOutput`: shown
/// as text, dbt's JSON lines or dbt's debug format from `--log-level` up, and always appended to
/// `logs/sqlt.log`.
enum Console {
    enum Color: String {
        case red = "31", green = "32", yellow = "33", cyan = "36", bold = "1"
    }

    nonisolated(unsafe) private(set) static var output: LogOutput?
    nonisolated(unsafe) private(set) static var colors =
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    nonisolated(unsafe) private static var stderrColors =
        isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    nonisolated(unsafe) private static var started: Date?
    static let invocationId = UUID().uuidString.lowercased()

    /// Sets up the console and the log file from the global flags (once per process).
    static func configure(_ global: GlobalOptions) throws {
        guard output == nil else { return }
        let settings = try global.logSettings()
        colors = global.colors && settings.format == .text
        stderrColors = settings.format == .text && (global.useColors ?? stderrColors)
        let root = global.projectURL
        let isProject = ["sqlt_project.yml", "dbt_project.yml"].contains {
            FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path)
        }
        output = LogOutput(
            format: settings.format, consoleLevel: settings.level, invocationId: invocationId,
            logFile: isProject || global.logPath != nil ? global.logFileURL : nil)
    }

    /// dbt's first event: `MainReportVersion`.
    static func begin() {
        started = Date()
        output?.emit(
            LogEvent(
                name: "MainReportVersion", code: "A001", level: .info,
                message: "Running with sqlt=\(SqltVersion.current)",
                data: ["version": .string("=\(SqltVersion.current)"), "log_version": .int(3)]),
            text: .hidden)
    }

    /// dbt's last event: `CommandCompleted` with the command's full path (`sqlt source freshness`),
    /// success and elapsed seconds; its message gives the UTC time of day as dbt's does.
    static func completed(command: String, success: Bool) {
        guard let output else { return }
        let now = Date()
        let elapsed = started.map { now.timeIntervalSince($0) } ?? 0
        output.emit(
            LogEvent(
                name: "CommandCompleted", code: "Q039", level: .debug,
                message:
                    "Command `\(command)` \(success ? "succeeded" : "failed") at \(clock(now)) after \(String(format: "%.2f", elapsed)) seconds",
                data: [
                    "command": .string(command), "success": .bool(success),
                    "completed_at": .string(UTCTimestamp.string(now, fractionDigits: 6)), "elapsed": .double(elapsed),
                ]),
            structured: true)
        output.close()
    }

    /// `03:51:18.705933`: the UTC time of day of `date`, as dbt's `CommandCompleted` message gives it.
    static func clock(_ date: Date) -> String {
        String(UTCTimestamp.string(date, fractionDigits: 6).split(separator: "T").last?.dropLast() ?? "")
    }

    /// The reporter of a run: dbt's events through the log output (text lines as before).
    static func runReporter() -> RunReporter {
        guard let output else { return ConsoleReporter(colors: colors) }
        return StructuredLogReporter(output: output, colors: colors)
    }

    static func colorize(_ text: String, _ color: Color, stderr: Bool = false) -> String {
        guard stderr ? stderrColors : colors else { return text }
        return "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m"
    }

    /// One of dbt's events; on a text console its message, timestamped like the run's lines.
    static func event(_ event: LogEvent) {
        guard let output else {
            return FileHandle.standardOutput.write(Data((SecretEnvVars.scrubbed(event.message) + "\n").utf8))
        }
        output.emit(event, text: .custom(event.textLine()))
    }

    /// An informational line (hidden by `--quiet`).
    static func print(_ text: String) {
        guard let output else {
            return FileHandle.standardOutput.write(Data((SecretEnvVars.scrubbed(text) + "\n").utf8))
        }
        output.emit(.note(text))
    }

    /// A command's result (`ls`, `show`): printed even with `--quiet`, as dbt does; in JSON
    /// format an event named `name` (by default dbt's `PrintEvent`, shown whatever the level).
    static func result(
        _ text: String, event name: String = "PrintEvent", code: String = "Z052", data: [String: JSONValue] = [:]
    ) {
        guard let output else {
            return FileHandle.standardOutput.write(Data((SecretEnvVars.scrubbed(text) + "\n").utf8))
        }
        guard output.format == .json else { return output.emit(.note(text), always: true) }
        var fields = data
        if fields.isEmpty { fields["msg"] = .string(text) }
        output.emit(LogEvent(name: name, code: code, level: .info, message: text, data: fields), always: true)
    }

    /// An error line (stderr on a text console).
    static func error(_ text: String) {
        guard let output else {
            return FileHandle.standardError.write(Data((SecretEnvVars.scrubbed(text) + "\n").utf8))
        }
        output.emit(.note(text, level: .error))
    }
}
