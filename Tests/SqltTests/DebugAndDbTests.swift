import Foundation
import ModelRunner
import Testing
import TestSupport

/// `sqlt debug` and `sqlt db` through the built binary.
@Suite(.serialized) struct DebugAndDbTests {
    func project() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqlt-cli-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("models"), withIntermediateDirectories: true)
        try "name: cli\nprofile: cli\n".write(to: folder.appendingPathComponent("sqlt_project.yml"), atomically: true, encoding: .utf8)
        return folder
    }

    @Test func debugConnectsAndMasksThePassword() async throws {
        try await TestDatabase.withSchema { _, _, settings in
            let folder = try project()
            defer { try? FileManager.default.removeItem(at: folder) }
            var withPassword = settings
            withPassword.password = "hunter2"
            let outcome = try SqltBinary.run(["debug", "--database-url", withPassword.url(), "--project-dir", folder.path])
            #expect(outcome.status == 0, "\(outcome.output)")
            #expect(outcome.stdout.contains("server version: 15"))
            #expect(outcome.stdout.contains("connection from: --database-url"))
            #expect(outcome.stdout.contains(":****@"))
            #expect(!outcome.output.contains("hunter2"))
        }
    }

    @Test func debugFailsClearlyWhenItCannotConnect() throws {
        let folder = try project()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try SqltBinary.run(["debug", "--database-url", "postgresql://nobody@/nodb?host=/nonexistent", "--project-dir", folder.path])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("cannot connect to PostgreSQL"))
        #expect(outcome.stderr.contains("/nonexistent"))
    }

    @Test func unknownProfileIsAConfigurationError() throws {
        let folder = try project()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "other: {target: dev, outputs: {dev: {type: postgres}}}\n".write(
            to: folder.appendingPathComponent("profiles.yml"), atomically: true, encoding: .utf8)
        let outcome = try SqltBinary.run(["debug", "--project-dir", folder.path], environment: ["SQLT_DATABASE_URL": ""])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("no profile 'cli'"))
        #expect(outcome.stderr.contains("profiles defined: other"))
    }

    @Test func dbStartStatusStop() throws {
        guard (try? PostgresBinaries.locate()) != nil || ProcessInfo.processInfo.environment["CI"] == "true" else { return }
        let folder = try project()
        defer {
            _ = try? SqltBinary.run(["db", "stop", "--project-dir", folder.path])
            try? FileManager.default.removeItem(at: folder)
        }
        let start = try SqltBinary.run(["db", "start", "--project-dir", folder.path])
        #expect(start.status == 0, "\(start.output)")
        let running = try SqltBinary.run(["db", "status", "--project-dir", folder.path])
        #expect(running.status == 0)
        #expect(running.stdout.hasPrefix("running"))
        let debug = try SqltBinary.run(["debug", "--project-dir", folder.path], environment: ["SQLT_DATABASE_URL": "", "PGHOST": "", "PGPORT": ""])
        #expect(debug.stdout.contains("connection from: embedded PostgreSQL"), "\(debug.output)")
        #expect(debug.stdout.contains("server version: 15"))
        #expect(try SqltBinary.run(["db", "stop", "--project-dir", folder.path]).status == 0)
        let stopped = try SqltBinary.run(["db", "status", "--project-dir", folder.path])
        #expect(stopped.status == 3)
        #expect(stopped.stdout.hasPrefix("stopped"))
    }
}
