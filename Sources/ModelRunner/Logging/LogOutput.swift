import Foundation
import ModelCompiler

/// Where a command's log events go: the console (text, JSON lines or dbt's debug format, from
/// `--log-level` up) and the log file `logs/sqlt.log` (always every event from debug up, in text,
/// as dbt writes `logs/dbt.log`). Thread-safe; one per process.
public final class LogOutput: @unchecked Sendable {
    /// dbt's `--log-format`.
    public enum Format: String, Sendable, CaseIterable {
        case text, json, debug
    }

    public let format: Format
    public let consoleLevel: LogEvent.Level
    public let invocationId: String
    private let writeConsole: @Sendable (String, Bool) -> Void
    private let lock = NSLock()
    private var file: FileHandle?
    private let fileFormat: Format

    /// `logFile` nil writes no file; `writeConsole(line, isError)`.
    public init(
        format: Format, consoleLevel: LogEvent.Level, invocationId: String, logFile: URL?, fileFormat: Format = .text,
        writeConsole: @escaping @Sendable (String, Bool) -> Void = LogOutput.standardStreams
    ) {
        self.format = format
        self.consoleLevel = consoleLevel
        self.invocationId = invocationId
        self.writeConsole = writeConsole
        self.fileFormat = fileFormat
        if let logFile {
            try? FileManager.default.createDirectory(
                at: logFile.deletingLastPathComponent(), withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: logFile.path) {
                _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
            }
            file = try? FileHandle(forWritingTo: logFile)
            _ = try? file?.seekToEnd()
        }
    }

    /// stdout, except unstructured error lines of a text console on stderr (JSON lines all go
    /// to stdout, as dbt writes them).
    public static let standardStreams: @Sendable (String, Bool) -> Void = { line, isError in
        (isError ? FileHandle.standardError : FileHandle.standardOutput).write(Data((line + "\n").utf8))
    }

    /// How an event shows on a text console.
    public enum TextConsole: Sendable {
        /// The event's message.
        case message
        /// Another rendering (a coloured, timestamped progress line).
        case custom(String)
        /// Not on a text console (its text form is another event's line).
        case hidden
    }

    /// Sends an event to the console (when at or above the console level) and to the log file.
    /// `structured` events (a node's start and end) show on a JSON console from `info` down, so
    /// orchestrators reading them need not pass `--debug`; `always` events (a command's printed
    /// result, dbt's `PrintEvent`) show whatever the level.
    public func emit(
        _ event: LogEvent, text: TextConsole = .message, structured: Bool = false, always: Bool = false,
        thread: String = "MainThread"
    ) {
        lock.lock()
        defer { lock.unlock() }
        if let file {
            let line =
                fileFormat == .json
                ? event.jsonLine(invocationId: invocationId, thread: thread) : event.textLine(debugFormat: true)
            file.write(Data((SecretEnvVars.scrubbed(line) + "\n").utf8))
        }
        guard
            always
                || (consoleLevel != .none
                    && (event.level >= consoleLevel || (structured && format == .json && consoleLevel <= .info)))
        else { return }
        switch (format, text) {
        case (.json, _):
            writeConsole(SecretEnvVars.scrubbed(event.jsonLine(invocationId: invocationId, thread: thread)), false)
        case (.debug, _): writeConsole(SecretEnvVars.scrubbed(event.textLine(debugFormat: true)), event.level == .error)
        case (.text, .message): writeConsole(SecretEnvVars.scrubbed(event.message), event.level == .error)
        case (.text, .custom(let line)): writeConsole(SecretEnvVars.scrubbed(line), false)
        case (.text, .hidden): break
        }
    }

    /// Whether the console shows events of this level.
    public func shows(_ level: LogEvent.Level) -> Bool { consoleLevel != .none && level >= consoleLevel }

    /// Flushes and closes the log file.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        try? file?.synchronize()
        try? file?.close()
        file = nil
    }
}
