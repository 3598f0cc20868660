import Foundation
import ModelRunner
import TestSupport
import Testing

@Suite("EmbeddedPostgres")
struct EmbeddedPostgresTests {
    /// A fresh project folder under /tmp, removed (with its server stopped) afterwards.
    func withProject(_ body: (String) throws -> Void) throws {
        let folder = "/tmp/sqlt-embedded-\(TestDatabase.randomSuffix())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer {
            _ = try? EmbeddedPostgres(projectDir: folder).stop()
            try? FileManager.default.removeItem(atPath: folder)
        }
        try body(folder)
    }

    @Test func startReuseStatusStop() throws {
        try withProject { folder in
            let server = EmbeddedPostgres(projectDir: folder)
            if case .notInitialised = server.status().state {} else { Issue.record("expected not initialised") }

            let settings = try server.start()
            #expect(settings.host == folder + "/.sqlt/postgres/socket")
            #expect(settings.dbname == "sqlt")
            #expect(settings.origin == "embedded PostgreSQL at \(folder)/.sqlt/postgres")
            let connection = try PostgresConnection(settings: settings)
            #expect(try connection.execute("SELECT current_database()").scalar == "sqlt")
            #expect(try connection.execute("SHOW listen_addresses").scalar == "")
            connection.close()

            let status = server.status()
            guard case .running(let pid) = status.state else {
                Issue.record("expected running, got \(status)")
                return
            }
            #expect(status.description.contains("pid \(pid)"))

            // A second start reuses the running server.
            #expect(try server.start() == settings)
            #expect(server.status().state == .running(pid: pid))

            #expect(try server.stop())
            #expect(server.status().state == .stopped)
            #expect(try server.stop() == false)

            // Starting again after a stop keeps the data.
            let again = try server.start()
            let reconnected = try PostgresConnection(settings: again)
            #expect(try reconnected.execute("SELECT 1 FROM pg_database WHERE datname = 'sqlt'").scalar == "1")
            reconnected.close()
        }
    }

    @Test func concurrentStartsGiveOneServer() async throws {
        let folder = "/tmp/sqlt-embedded-\(TestDatabase.randomSuffix())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer {
            _ = try? EmbeddedPostgres(projectDir: folder).stop()
            try? FileManager.default.removeItem(atPath: folder)
        }
        let results = try await withThrowingTaskGroup(of: ConnectionSettings.self) { group in
            for _ in 0..<3 {
                group.addTask { try EmbeddedPostgres(projectDir: folder).start() }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 3)
        #expect(Set(results.map(\.host)).count == 1)
        let status = EmbeddedPostgres(projectDir: folder).status()
        #expect(status.isRunning)
        let connection = try PostgresConnection(settings: results[0])
        defer { connection.close() }
        // One postmaster for this data folder: all three connections reach the same server.
        #expect(try connection.execute("SELECT pg_postmaster_start_time() IS NOT NULL").scalar == "t")
        let dataDirectory = try connection.execute("SELECT setting FROM pg_settings WHERE name = 'data_directory'")
            .scalar
        #expect(dataDirectory == folder + "/.sqlt/postgres/data")
        #expect(postmasters(of: folder + "/.sqlt/postgres/data") == 1)
    }

    /// How many processes run `postgres -D <data>` (postmasters, not their children).
    func postmasters(of data: String) -> Int {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return pids.filter { pid in
            guard Int(pid) != nil, let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else {
                return false
            }
            let arguments = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return arguments.first?.hasSuffix("/postgres") == true && arguments.contains(data)
        }.count
    }

    @Test func longProjectPathsUseAShortSocketFolder() {
        let long = "/tmp/" + String(repeating: "very-long-folder-name/", count: 5)
        let server = EmbeddedPostgres(projectDir: long)
        #expect(server.usesShortSocketFolder)
        #expect(server.socketFolder.hasPrefix("/tmp/sqlt-"))
        #expect(server.socketFolder == EmbeddedPostgres(projectDir: long).socketFolder)
        #expect(server.status().description.contains("too long for a unix socket"))
        let short = EmbeddedPostgres(projectDir: "/tmp/p")
        #expect(!short.usesShortSocketFolder)
        #expect(short.socketFolder == "/tmp/p/.sqlt/postgres/socket")
    }

    @Test func startFailureShowsTheServerLog() throws {
        try withProject { folder in
            let server = EmbeddedPostgres(projectDir: folder, serverSettings: ["shared_buffers": "not-a-size"])
            let error = try #require(throws: EmbeddedPostgresError.self) { try server.start() }
            #expect(error.message.hasPrefix("could not start the embedded PostgreSQL in \(folder)/.sqlt/postgres"))
            #expect(error.message.contains("last lines of \(folder)/.sqlt/postgres/server.log"))
            #expect(error.message.contains("shared_buffers"))
            #expect(!server.status().isRunning)
        }
    }

    @Test func urlNamesTheSocket() {
        let server = EmbeddedPostgres(projectDir: "/tmp/p")
        #expect(server.url == "postgresql://postgres@:5432/sqlt?host=/tmp/p/.sqlt/postgres/socket")
    }

    @Test func binariesAreFound() throws {
        let binaries = try PostgresBinaries.locate(environment: ["PATH": ""])
        #expect(FileManager.default.isExecutableFile(atPath: binaries.pgCtl))
        #expect(binaries.folder.hasPrefix("/usr/lib/postgresql/"))
    }
}
