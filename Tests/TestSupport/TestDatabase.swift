import Foundation
import ModelRunner

/// One throwaway PostgreSQL per test process (a temporary folder, a unix socket, the embedded
/// server code sqlt itself uses), or the server of `SQLT_TEST_DATABASE_URL` when set. Each test
/// works in its own schema, dropped afterwards. When no server can be had: with `CI=true` the
/// test fails with the reason; otherwise it is skipped with the reason printed.
public enum TestDatabase {
    /// Why integration tests cannot run here.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    private static let state = Result<ConnectionSettings, Error> { try startServer() }

    /// Settings of the test server (started on first use).
    public static func settings() throws -> ConnectionSettings {
        try state.get()
    }

    private static func startServer() throws -> ConnectionSettings {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["SQLT_TEST_DATABASE_URL"], !url.isEmpty {
            return try ConnectionURL.parse(url, origin: "SQLT_TEST_DATABASE_URL")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqlt-test-\(getpid())").path
        let server = EmbeddedPostgres(folder: folder, databaseName: "sqlt_test")
        let settings = try server.start()
        stopAtExit(folder)
        return settings
    }

    /// Stops the server and removes its folder when the test process ends.
    private static func stopAtExit(_ folder: String) {
        StopAtExit.folder = folder
        atexit {
            guard let folder = StopAtExit.folder else { return }
            try? EmbeddedPostgres(folder: folder, databaseName: "sqlt_test").stop()
            try? FileManager.default.removeItem(atPath: folder)
            try? FileManager.default.removeItem(atPath: folder + ".lock")
        }
    }

    /// Runs `body` with a connection whose `search_path` is a new schema, dropped afterwards.
    /// Returns nil when the test was skipped (no server outside CI).
    @discardableResult
    public static func withSchema<T>(
        _ body: (PostgresConnection, _ schema: String, _ settings: ConnectionSettings) async throws -> T
    ) async throws -> T? {
        let base: ConnectionSettings
        do {
            base = try settings()
        } catch {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                throw Unavailable(description: "no PostgreSQL for integration tests: \(error)")
            }
            FileHandle.standardError.write(Data("skipped: no PostgreSQL for integration tests: \(error)\n".utf8))
            return nil
        }
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        var settings = base
        settings.schema = String(schema)
        let connection = try PostgresConnection(settings: settings)
        try connection.executeScript("create schema \(quoteIdentifier(String(schema))); set search_path to \(quoteIdentifier(String(schema)))")
        do {
            let result = try await body(connection, String(schema), settings)
            dropSchemas(prefix: String(schema), base)
            return result
        } catch {
            dropSchemas(prefix: String(schema), base)
            throw error
        }
    }
}

/// Drops the test's schema and every schema named after it (custom schemas such as `t_x_marts`).
private func dropSchemas(prefix: String, _ settings: ConnectionSettings) {
    guard let connection = try? PostgresConnection(settings: settings),
        let names = try? connection.execute(
            "select nspname from pg_namespace where nspname = $1 or nspname like $2", [prefix, prefix + "\\_%"])
    else { return }
    for row in names.rows {
        if let name = row[0] { _ = try? connection.executeScript("drop schema if exists \(quoteIdentifier(name)) cascade") }
    }
}

private enum StopAtExit {
    nonisolated(unsafe) static var folder: String?
}
