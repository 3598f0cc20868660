import Foundation
import TestSupport
import Testing

/// The built `sqlt` binary answers `--version`.
@Suite struct VersionTests {
    /// Runs the binary; stdout and stderr together.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let outcome = try SqltProcess.run(arguments)
        return (outcome.exitCode, outcome.stdout + outcome.stderr)
    }

    @Test func versionIsPrinted() throws {
        let result = try Self.run(["--version"])
        #expect(result.status == 0)
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }
}
