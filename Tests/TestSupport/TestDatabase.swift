import Foundation
import ModelCompiler
import ModelRunner
import Testing

/// One throwaway PostgreSQL per test process (or `SQLT_TEST_DATABASE_URL` when set), and a
/// fresh schema per test.
///
/// The server is an `EmbeddedPostgres` in a temporary folder under /tmp, started on first use
/// and stopped when the process exits (an `atexit` handler, plus a detached watcher that stops
/// it if the process is killed). When no PostgreSQL can be had, a test using it fails under
/// `CI=true` and is skipped (`Test.cancel`) otherwise, with the reason.
public enum TestDatabase {
    /// The settings of the shared server, starting it on first use.
    public static func settings() throws -> ConnectionSettings {
        switch server {
        case .success(let settings):
            return settings
        case .failure(let failure):
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record(Comment(rawValue: "no PostgreSQL for the integration tests: \(failure.reason)"))
                throw failure
            }
            try Test.cancel(Comment(rawValue: "skipped: no PostgreSQL for the integration tests: \(failure.reason)"))
        }
    }

    /// Runs `body` with a connection whose `search_path` is a new schema `t_<random>`, then
    /// drops that schema (cascade). `settings.schema` is that schema.
    public static func withSchema<T>(
        _ body: (PostgresConnection, _ schema: String, _ settings: ConnectionSettings) async throws -> T
    ) async throws -> T {
        var settings = try settings()
        let schema = "t_" + randomSuffix()
        settings.schema = schema
        let connection = try PostgresConnection(settings: settings)
        defer { connection.close() }
        try connection.execute("CREATE SCHEMA \(quoteIdentifier(schema))")
        do {
            try connection.execute("SET search_path TO \(quoteIdentifier(schema))")
            let value = try await body(connection, schema, settings)
            try dropSchema(schema, settings: settings)
            return value
        } catch {
            try? dropSchema(schema, settings: settings)
            throw error
        }
    }

    /// Why no PostgreSQL could be had.
    public struct Unavailable: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// Drops on a fresh connection, so an aborted transaction or a running statement on the
    /// test's own connection cannot prevent it.
    private static func dropSchema(_ schema: String, settings: ConnectionSettings) throws {
        let connection = try PostgresConnection(settings: settings)
        defer { connection.close() }
        try connection.execute("DROP SCHEMA IF EXISTS \(quoteIdentifier(schema)) CASCADE")
    }

    /// Twelve lowercase hexadecimal digits.
    public static func randomSuffix() -> String {
        String((0..<12).map { _ in "0123456789abcdef".randomElement()! })
    }

    /// Started once per process, on first use (Swift runs a static initialiser once, thread-safely).
    private static let server: Result<ConnectionSettings, Unavailable> = startServer()

    private static func startServer() -> Result<ConnectionSettings, Unavailable> {
        if let url = ProcessInfo.processInfo.environment["SQLT_TEST_DATABASE_URL"], !url.isEmpty {
            do {
                return .success(try ConnectionSettings(url: url, origin: "SQLT_TEST_DATABASE_URL"))
            } catch {
                return .failure(Unavailable(reason: "SQLT_TEST_DATABASE_URL: \(error.message)"))
            }
        }
        let folder = "/tmp/sqlt-test-\(getpid())-\(randomSuffix())"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let embedded = EmbeddedPostgres(
                projectDir: folder,
                serverSettings: [
                    "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
                    "max_connections": "200",
                ])
            TestServerCleanup.register(embedded)
            return .success(try embedded.start())
        } catch {
            return .failure(Unavailable(reason: "could not start a PostgreSQL server in \(folder): \(error)"))
        }
    }
}
