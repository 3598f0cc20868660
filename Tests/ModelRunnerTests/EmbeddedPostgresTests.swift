import Foundation
import Testing

@testable import ModelRunner

/// The embedded server: start, reuse, concurrent starts on one folder, stop and status.
@Suite(.serialized) struct EmbeddedPostgresTests {
    func withFolder(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqlt-embedded-\(UUID().uuidString.prefix(8))").path
        defer {
            try? EmbeddedPostgres(projectDir: folder).stop()
            try? FileManager.default.removeItem(atPath: folder)
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try body(folder)
    }

    @Test func startReuseConcurrentStartAndStop() throws {
        guard (try? PostgresBinaries.locate()) != nil || ProcessInfo.processInfo.environment["CI"] == "true" else {
            print("skipped: no PostgreSQL server programs installed")
            return
        }
        try withFolder { folder in
            let server = EmbeddedPostgres(projectDir: folder)
            #expect(try server.status() == .notInitialized)

            // Two starts at once on one folder give one server.
            nonisolated(unsafe) var results: [Result<ConnectionSettings, Error>] = []
            let lock = NSLock()
            DispatchQueue.concurrentPerform(iterations: 2) { _ in
                let result = Result { try EmbeddedPostgres(projectDir: folder).start() }
                lock.withLock { results.append(result) }
            }
            let settings = try results[0].get()
            #expect(try results[1].get() == settings)
            guard case .running(let pid) = try server.status() else {
                Issue.record("the server should run")
                return
            }
            let connection = try PostgresConnection(settings: settings)
            #expect(try connection.execute("select current_database()").scalar == "sqlt")
            #expect(connection.serverVersion.hasPrefix("15"))
            // Only a unix socket: no TCP listener.
            #expect(try connection.execute("show listen_addresses").scalar == "")

            // A later start reuses the same server.
            _ = try server.start()
            #expect(try server.status() == .running(pid: pid))

            try server.stop()
            #expect(try server.status() == .stopped)
            #expect(throws: DatabaseError.self) { try PostgresConnection(settings: settings) }
        }
    }
}
