import Foundation
import ModelCompiler

/// Runs the command-line tools `sqlt deps` relies on (`git`, `tar`) with the C locale and no
/// prompt, and turns a failure into a diagnostic carrying the tool's own message.
enum ToolProcess {
    struct Output {
        var stdout: String
        var stderr: String
    }

    /// Runs `tool arguments...` in `cwd` (looked up on `PATH`); `what` names the step in errors.
    @discardableResult
    static func run(
        _ tool: String, _ arguments: [String], cwd: String? = nil, what: String
    ) throws(Diagnostic) -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        environment["GIT_TERMINAL_PROMPT"] = "0"
        process.environment = environment
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqlt-tool-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw Diagnostic.error(
                "deps.tool", "\(what): cannot create a temporary folder: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let outPath = folder.appendingPathComponent("out").path, errPath = folder.appendingPathComponent("err").path
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        guard let out = FileHandle(forWritingAtPath: outPath), let err = FileHandle(forWritingAtPath: errPath) else {
            throw Diagnostic.error("deps.tool", "\(what): cannot capture the output of \(tool)")
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            throw Diagnostic.error(
                "deps.tool", "\(what): cannot run \(tool): \(error.localizedDescription)",
                hint: "install \(tool) (apt-get install -y \(tool))")
        }
        process.waitUntilExit()
        try? out.close()
        try? err.close()
        let output = Output(
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
        guard process.terminationStatus == 0 else {
            if process.terminationStatus == 127 {
                throw Diagnostic.error(
                    "deps.tool", "\(what): \(tool) is not installed", hint: "install it: apt-get install -y \(tool)")
            }
            let message = output.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            throw Diagnostic.error(
                "deps.tool",
                "\(what): \(tool) \(arguments.first ?? "") failed: \(message.isEmpty ? "exit status \(process.terminationStatus)" : message)"
            )
        }
        return output
    }
}
