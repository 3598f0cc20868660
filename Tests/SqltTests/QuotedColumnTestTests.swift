import Foundation
import ModelRunner
import TestSupport
import Testing

/// Generic tests on `quote: true` columns (`MixedCase`, `we"ird`) run against PostgreSQL: the column
/// reaches the test's SQL quoted, so the tests pass on good data and fail on bad data.
@Suite(.serialized) struct QuotedColumnTestTests {
    static func project(model: String) throws -> URL {
        let files = [
            "sqlt_project.yml": "name: shop\nprofile: shop\n",
            "models/odd_columns.sql": model,
            "models/schema.yml": """
            version: 2
            models:
              - name: odd_columns
                columns:
                  - name: MixedCase
                    quote: true
                    data_tests: [not_null, unique]
                  - name: 'we"ird'
                    quote: true
                    data_tests:
                      - not_null
                      - accepted_values:
                          values: [x, y]
            """,
        ]
        let folder = try TemporaryProject.write(files, prefix: "quoted")
        return folder
    }

    @Test func testsOnQuotedColumnsPassOnGoodData() async throws {
        try await TestDatabase.withSchema { _, _, settings in
            let folder = try Self.project(model: #"select 1 as "MixedCase", 'x' as "we""ird" union all select 2, 'y'"#)
            defer { try? FileManager.default.removeItem(at: folder) }
            let build = try SqltProcess.run(
                ["build", "--project-dir", folder.path, "--database-url", settings.url()],
                environment: ["NO_COLOR": "1"])
            let output = build.stdout + build.stderr
            #expect(build.exitCode == 0, "\(output)")
            #expect(output.contains("PASS=5"), "\(output)")
        }
    }

    @Test func aFailingTestPrintsAHugeValueTruncated() async throws {
        try await TestDatabase.withSchema { _, _, settings in
            let folder = try Self.project(model: #"select 1 as "MixedCase", repeat('w', 5000000) as "we""ird""#)
            defer { try? FileManager.default.removeItem(at: folder) }
            let build = try SqltProcess.run(
                ["build", "--project-dir", folder.path, "--database-url", settings.url()],
                environment: ["NO_COLOR": "1"])
            let output = build.stdout + build.stderr
            #expect(build.exitCode == 1, "\(output.prefix(2000))")
            #expect(output.contains(String(repeating: "w", count: 200) + "… (5000000 bytes)"), "\(output.prefix(2000))")
            #expect(output.utf8.count < 100_000, "\(output.utf8.count) bytes printed")
        }
    }

    @Test func testsOnQuotedColumnsFailOnBadData() async throws {
        try await TestDatabase.withSchema { _, _, settings in
            let folder = try Self.project(model: #"select 1 as "MixedCase", 'x' as "we""ird" union all select 1, 'z'"#)
            defer { try? FileManager.default.removeItem(at: folder) }
            let build = try SqltProcess.run(
                ["build", "--project-dir", folder.path, "--database-url", settings.url()],
                environment: ["NO_COLOR": "1"])
            let output = build.stdout + build.stderr
            #expect(build.exitCode == 1, "\(output)")
            // unique on "MixedCase" finds the repeated 1, accepted_values on "we""ird" finds 'z'
            #expect(output.contains("FAIL 1 unique_odd_columns__MixedCase_"), "\(output)")
            #expect(output.contains("FAIL 1 accepted_values_odd_columns__we_ird___x__y"), "\(output)")
            #expect(output.contains("ERROR=2") || output.contains("FAIL=2"), "\(output)")
        }
    }
}
