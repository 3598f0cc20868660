import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// `sqlt run` and signals: SIGTERM exits 143 and SIGINT 130 after cancelling the running query
/// (the model is not built), and a signal sent the moment the process starts is not lost.
@Suite(.serialized) struct RunSignalTests {
    /// A project whose one model sleeps 60 s; `marker` makes its query text unique.
    static func project(marker: String = UUID().uuidString) throws -> URL {
        let files = [
            "sqlt_project.yml": "name: shop\nprofile: shop\n",
            "models/slow.sql":
                "{{ config(materialized='table') }}\nselect 1 as n, '\(marker)' as marker from pg_sleep(60)",
        ]
        let folder = try TemporaryProject.write(files, prefix: "signal")
        return folder
    }

    /// Starts `sqlt run`; its output goes to `folder/output.log`.
    static func start(_ folder: URL, url: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sqltBinary)
        process.arguments = ["run", "--project-dir", folder.path, "--database-url", url]
        process.standardInput = FileHandle.nullDevice
        let log = folder.appendingPathComponent("output.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// The model waits on an advisory lock the test holds, so it cannot finish before the test
    /// has seen it running, however late the test's task is scheduled. (With a 60 s `pg_sleep`,
    /// a watcher task starved by the suite's blocking work on the cooperative pool could first
    /// look after the model had finished: the run was never seen and the test retried.)
    @Test(arguments: [(SIGTERM, Int32(143)), (SIGINT, Int32(130))])
    func signalDuringARunCancelsAndExits(signal: Int32, code: Int32) async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let marker = UUID().uuidString
            let folder = try TemporaryProject.write(
                [
                    "sqlt_project.yml": "name: shop\nprofile: shop\n",
                    "models/slow.sql": """
                    {{ config(materialized='table') }}
                    select 1 as n from (select pg_advisory_xact_lock(hashtextextended('\(marker)', 0))) as waited
                    """,
                ], prefix: "signal")
            defer { try? FileManager.default.removeItem(at: folder) }
            try connection.execute("select pg_advisory_lock(hashtextextended($1, 0))", [marker])
            defer { _ = try? connection.execute("select pg_advisory_unlock(hashtextextended($1, 0))", [marker]) }
            let process = try Self.start(folder, url: settings.url())
            let waiting = """
                select count(*) from pg_locks l where l.locktype = 'advisory' and not l.granted
                  and ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($1, 0)
                """
            var running = false
            while !running && process.isRunning {
                running = try connection.execute(waiting, [marker]).scalar == "1"
                if !running { try await Task.sleep(nanoseconds: 50_000_000) }
            }
            let early = (try? String(contentsOf: folder.appendingPathComponent("output.log"), encoding: .utf8)) ?? ""
            try #require(running, "the run ended before its model started: \(early)")
            kill(process.processIdentifier, signal)
            while process.isRunning { try await Task.sleep(nanoseconds: 20_000_000) }
            let output = (try? String(contentsOf: folder.appendingPathComponent("output.log"), encoding: .utf8)) ?? ""
            #expect(process.terminationReason == .exit, "\(output)")
            #expect(process.terminationStatus == code, "\(output)")
            let sessionsKey =
                "sqlt:" + (try connection.execute("select current_database()").scalar ?? "") + ".\(schema):sessions"
            let holders = """
                select count(*) from pg_locks l where l.locktype = 'advisory' and l.mode = 'ShareLock' and l.granted
                  and ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($1, 0)
                """
            #expect(try connection.execute(holders, [sessionsKey]).scalar == "0", "the run's sessions are closed")
            #expect(try connection.execute(waiting, [marker]).scalar == "0", "the model's query was cancelled")
            #expect(
                try connection.execute(
                    "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = $1",
                    [schema]
                ).scalar == "0")
        }
    }

    /// SIGTERM while the run waits for another run's lock stops the wait at once (it used to be
    /// lost: the run waited out its --lock-timeout and then failed on the lock).
    @Test func aSignalWhileWaitingForTheLockIsNotLost() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let folder = try Self.project()
            defer { try? FileManager.default.removeItem(at: folder) }
            let holder = try PostgresConnection(settings: settings)
            let held = try RunLock.acquire(session: holder, schema: schema, invocationId: "holder", timeout: 0)
            defer { held.release() }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: sqltBinary)
            process.arguments = [
                "run", "--project-dir", folder.path, "--database-url", settings.url(), "--lock-timeout", "600",
            ]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            var waiting = false
            for _ in 0..<600 where !waiting {
                waiting =
                    try connection.execute(
                        "select count(*) from pg_stat_activity where application_name like 'sqlt run %' and application_name <> 'sqlt run holder'"
                    ).scalar == "1"
                if !waiting { try await Task.sleep(nanoseconds: 50_000_000) }
            }
            #expect(waiting, "the run never connected")
            kill(process.processIdentifier, SIGTERM)
            while process.isRunning { try await Task.sleep(nanoseconds: 20_000_000) }
            #expect(
                process.terminationReason == .exit && process.terminationStatus == 143, "\(process.terminationStatus)")
        }
    }

    /// SIGTERM right after the process starts: it always ends by it (143, or killed by the signal
    /// before `main` ran), never carrying on as if nothing had come.
    @Test func aSignalAtStartIsNeverLost() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let folder = try Self.project()
            defer { try? FileManager.default.removeItem(at: folder) }
            for _ in 0..<10 {
                let process = try Self.start(folder, url: settings.url())
                kill(process.processIdentifier, SIGTERM)
                while process.isRunning { try await Task.sleep(nanoseconds: 20_000_000) }
                let endedBySignal =
                    (process.terminationReason == .exit && process.terminationStatus == 143)
                    || (process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM)
                #expect(
                    endedBySignal,
                    "\(process.terminationReason == .exit ? "exit" : "signal") \(process.terminationStatus)")
            }
            #expect(
                try connection.execute(
                    "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = $1",
                    [schema]
                ).scalar == "0")
        }
    }
}
