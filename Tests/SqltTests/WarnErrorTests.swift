import Foundation
import ModelRunner
import TestSupport
import Testing

/// `--warn-error` never exits 0 after a warning: a warn-severity test that warns, a selection
/// that matches nothing, and `exceptions.warn` all fail the invocation.
@Suite(.serialized) struct WarnErrorTests {
    static func project() throws -> URL {
        let files = [
            "sqlt_project.yml": "name: shop\nprofile: shop\n",
            "models/orders.sql": "select 1 as id, 'lost' as status",
            "models/schema.yml": """
            version: 2
            models:
              - name: orders
                columns:
                  - name: status
                    data_tests:
                      - accepted_values:
                          values: [placed]
                          config: {severity: warn}
            """,
        ]
        let folder = try TemporaryProject.write(files, prefix: "warnerr")
        return folder
    }

    @Test func aWarningTestFailsTheBuildUnderWarnError() async throws {
        try await TestDatabase.withSchema { _, _, settings in
            let folder = try Self.project()
            defer { try? FileManager.default.removeItem(at: folder) }
            let plain = try SqltProcess.run(
                ["build", "--project-dir", folder.path, "--database-url", settings.url()],
                environment: ["NO_COLOR": "1"])
            #expect(plain.exitCode == 0, "\(plain.stdout + plain.stderr)")
            #expect((plain.stdout + plain.stderr).contains("WARN 1 accepted_values_orders_status__placed"))
            let strict = try SqltProcess.run(
                ["build", "--warn-error", "--project-dir", folder.path, "--database-url", settings.url()],
                environment: ["NO_COLOR": "1"])
            #expect(strict.exitCode == 1, "\(strict.stdout + strict.stderr)")
            #expect(strict.stderr.contains("--warn-error: 1 warning(s) treated as errors"), "\(strict.stderr)")
        }
    }

    @Test func aSelectionMatchingNothingIsAnErrorUnderWarnError() throws {
        let folder = try Self.project()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = try SqltProcess.run(
            ["compile", "--project-dir", folder.path, "-s", "nosuch"], environment: ["NO_COLOR": "1"])
        #expect(plain.exitCode == 0, "\(plain.stderr)")
        let strict = try SqltProcess.run(
            ["compile", "--warn-error", "--project-dir", folder.path, "-s", "nosuch"], environment: ["NO_COLOR": "1"])
        #expect(strict.exitCode == 2, "\(strict.stderr)")
        #expect(
            strict.stderr.contains("error: the selection criterion 'nosuch' does not match any enabled nodes"),
            "\(strict.stderr)")
    }

    @Test func exceptionsWarnIsAnErrorUnderWarnError() throws {
        let folder = try Self.project()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "select 1 as id, 'placed' as status {{ exceptions.warn('careful') }}"
            .write(to: folder.appendingPathComponent("models/orders.sql"), atomically: true, encoding: .utf8)
        let strict = try SqltProcess.run(
            ["compile", "--warn-error", "--project-dir", folder.path], environment: ["NO_COLOR": "1"])
        #expect(strict.exitCode == 2, "\(strict.stderr)")
        #expect(strict.stderr.contains("models/orders.sql:1:50: error: careful"), "\(strict.stderr)")
    }
}
