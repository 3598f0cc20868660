import Foundation
import TestSupport
import Testing

/// `scripts/chaos.sh` with a small fixed count: one interruption of each class (kill -9, SIGTERM,
/// SIGINT, a terminated worker, a terminated lock session) on a generated project with views over
/// tables and on the flagship, with readers during the runs. Every count it checks must be 0.
@Suite(.serialized) struct ChaosScriptTests {
    @Test func everyInterruptionLeavesNothingMissingNorLeftAndConverges() async throws {
        let script = FlagshipProject.root.appendingPathComponent("scripts/chaos.sh").path
        guard FileManager.default.fileExists(atPath: script) else {
            Issue.record("scripts/chaos.sh is missing at \(script)")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, "--count", "1", "--project", "both", "--models", "30"]
        var environment = ProcessInfo.processInfo.environment
        environment["SQLT"] = sqltBinary
        process.environment = environment
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("sqlt-chaos-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Waits without holding a thread of the test pool (other tests poll on it meanwhile).
        while process.isRunning { try await Task.sleep(nanoseconds: 100_000_000) }
        try? output.close()
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "\(text)")
        let lines = text.split(separator: "\n").filter { $0.contains(" interruptions ") }
        #expect(lines.count == 10, "\(text)")
        for line in lines {
            for count in ["missing 0", "leftovers 0", "reader_errors 0", "unconverged 0", "interruptions   1"] {
                #expect(line.contains(count), "\(line)")
            }
        }
        #expect(text.contains("total: 10 interruptions, 0 problems"), "\(text)")
    }
}
