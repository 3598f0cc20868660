import Foundation

/// Runs the built `sqlt` executable for command-line tests.
public enum SqltProcess {
    /// What a finished `sqlt` run printed and returned.
    public struct Outcome: Sendable {
        public var exitCode: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The path of the built `sqlt` executable: next to the test executable (`.build/debug/sqlt`).
    public static var sqltBinary: String {
        let testExecutable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = testExecutable.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("sqlt").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return testExecutable.deletingLastPathComponent().appendingPathComponent("sqlt").path
    }

    /// Runs `sqlt` with `arguments` in `cwd`; `environment` entries are added to (or, with a nil
    /// value, removed from) this process's environment.
    public static func run(
        _ arguments: [String], cwd: String? = nil, environment: [String: String?] = [:]
    ) throws -> Outcome {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqlt-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("stdout")
        let errURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sqltBinary)
        process.arguments = arguments
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        return Outcome(
            exitCode: process.terminationStatus,
            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }
}

/// Runs the built `sqlt` executable: `(exitCode, stdout, stderr)`.
public func runSqlt(
    _ arguments: [String], cwd: String? = nil, env: [String: String?] = [:]
) throws -> (exitCode: Int32, stdout: String, stderr: String) {
    let outcome = try SqltProcess.run(arguments, cwd: cwd, environment: env)
    return (outcome.exitCode, outcome.stdout, outcome.stderr)
}

/// The path of the built `sqlt` executable.
public var sqltBinary: String { SqltProcess.sqltBinary }
