import Foundation
import Testing
import TestSupport

/// `scripts/chaos.sh` with a small fixed count: one interruption of each class (kill -9, SIGTERM,
/// SIGINT, a terminated worker, a terminated lock session) on a generated project with views over
/// tables and on the flagship, with readers during the runs. Every count it checks must be 0.
@Suite(.serialized) struct ChaosScriptTests {
    @Test func everyInterruptionLeavesNothingMissingNorLeftAndConverges() throws {
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
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
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
