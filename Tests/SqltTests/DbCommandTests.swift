import Foundation
import ModelRunner
import TestSupport
import Testing

@Suite("sqlt db")
struct DbCommandTests {
    @Test func startStatusUrlStop() throws {
        let folder = "/tmp/sqlt-db-\(TestDatabase.randomSuffix())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer {
            _ = try? EmbeddedPostgres(projectDir: folder).stop()
            try? FileManager.default.removeItem(atPath: folder)
        }
        let before = try runSqlt(["db", "status"], cwd: folder)
        #expect(before.exitCode == 3)
        #expect(before.stdout.contains("not initialised"))

        let start = try runSqlt(["db", "start", "--project-dir", folder])
        #expect(start.exitCode == 0, "stderr: \(start.stderr)")
        #expect(
            start.stdout.contains(
                "embedded PostgreSQL running: postgresql://postgres@:5432/sqlt?host=\(folder)/.sqlt/postgres/socket"))

        let running = try runSqlt(["db", "status"], cwd: folder)
        #expect(running.exitCode == 0)
        #expect(running.stdout.hasPrefix("running (pid "))

        let url = try runSqlt(["db", "url"], cwd: folder)
        #expect(url.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == EmbeddedPostgres(projectDir: folder).url)
        let connection = try PostgresConnection(
            settings: try ConnectionSettings(
                url: url.stdout.trimmingCharacters(in: .whitespacesAndNewlines), origin: "test"))
        #expect(try connection.execute("SELECT current_database()").scalar == "sqlt")
        connection.close()

        let stop = try runSqlt(["db", "stop"], cwd: folder)
        #expect(stop.exitCode == 0)
        #expect(stop.stdout.contains("embedded PostgreSQL stopped"))
        let after = try runSqlt(["db", "status"], cwd: folder)
        #expect(after.exitCode == 3)
        #expect(after.stdout.hasPrefix("stopped"))
    }
}
