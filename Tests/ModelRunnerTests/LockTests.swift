import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// The run lock: one run per target database and schema.
@Suite struct LockTests {
    @Test func heldLockTimesOutNamingTheHolder() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let holderSession = try PostgresConnection(settings: settings)
            let held = try RunLock.acquire(
                session: holderSession, schema: schema, invocationId: "first-run", timeout: 0)
            defer { held.release() }
            var fixture = RunFixture(schema: schema, settings: settings)
            fixture.model("orders", "select 1 as id")
            let runner = try fixture.runner(lockTimeout: 0.3)
            do {
                _ = try runner.run(selected: ["model.shop.orders"])
                Issue.record("the run should not have taken the lock")
            } catch let error as RunLockError {
                let text = error.description
                #expect(
                    text.hasPrefix("another sqlt run holds the lock of ") && text.contains(".\(schema); waited 0.")
                        && text.contains("s (--lock-timeout 0.3)"))
                #expect(text.contains("application_name 'sqlt run first-run'"))
                #expect(text.contains("held by pid "))
                #expect(
                    text.contains(
                        "its last query: select pg_advisory_unlock(hashtextextended($1, 0)), pg_advisory_lock_shared"))
            }
            #expect(try connection.rows("select to_regclass('\(schema).orders') is null") == ["t"])
        }
    }

    @Test func otherSchemasAreNotBlocked() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let holderSession = try PostgresConnection(settings: settings)
            let held = try RunLock.acquire(
                session: holderSession, schema: schema + "_other", invocationId: "other", timeout: 0)
            defer { held.release() }
            let mine = try RunLock.acquire(session: connection, schema: schema, invocationId: "mine", timeout: 0)
            mine.release()
        }
    }

    @Test func twoConcurrentRunsTakeTurns() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            let log = qualifiedName(schema, "turns")
            try connection.execute(
                "create table \(log) (run text, event text, at timestamptz default clock_timestamp())")
            fixture.model("slow", "select 1 as n from pg_sleep(0.5)")
            let first = try fixture.runner(
                lockTimeout: 60, onRunStart: ["insert into \(log) (run, event) values ('first', 'start')"],
                onRunEnd: ["insert into \(log) (run, event) values ('first', 'end')"])
            let second = try fixture.runner(
                lockTimeout: 60, onRunStart: ["insert into \(log) (run, event) values ('second', 'start')"],
                onRunEnd: ["insert into \(log) (run, event) values ('second', 'end')"])
            let outcomes = OutcomeBox()
            let threads = [first, second].map { runner in
                let thread = Thread {
                    do { outcomes.append(try runner.run(selected: ["model.shop.slow"]).results.map(\.status)) } catch {
                        outcomes.append([])
                    }
                }
                thread.start()
                return thread
            }
            _ = threads
            while outcomes.count < 2 { try await Task.sleep(nanoseconds: 20_000_000) }
            #expect(outcomes.values == [[.success], [.success]])
            // The runs do not overlap: each start is followed by the same run's end.
            let events = try connection.rows("select run, event from \(log) order by at")
            #expect(events.count == 4)
            #expect(events[0].split(separator: "|")[0] == events[1].split(separator: "|")[0])
            #expect(events[2].split(separator: "|")[0] == events[3].split(separator: "|")[0])
        }
    }

    /// Waits until `condition` holds, or 30 s pass (no timing is asserted).
    static func eventually(_ condition: () throws -> Bool) async throws -> Bool {
        for _ in 0..<600 {
            if try condition() { return true }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return try condition()
    }

    /// When the lock session is terminated, a session of the run still holds the shared lock:
    /// another run keeps waiting until that session is gone, then takes the lock.
    @Test func aWaitingRunKeepsWaitingWhileTheLostRunsSessionsWork() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let holder = try PostgresConnection(settings: settings)
            let lock = try RunLock.acquire(session: holder, schema: schema, invocationId: "lost-run", timeout: 0)
            let worker = try PostgresConnection(settings: settings)
            try lock.join(worker)
            let pid = try holder.execute("select pg_backend_pid()").scalar ?? ""
            try connection.execute("select pg_terminate_backend(\(pid))")
            #expect(try await Self.eventually { !lock.isHeld })
            let other = try PostgresConnection(settings: settings)
            do {
                _ = try RunLock.acquire(session: other, schema: schema, invocationId: "second", timeout: 0.3)
                Issue.record("the second run started while a session of the first still worked")
            } catch let error as RunLockError {
                #expect(error.earlierRunSession)
                #expect(
                    error.description.contains("sessions of an earlier sqlt run on ")
                        && error.description.contains("waited 0."), "\(error)")
            }
            worker.close()
            let taken = try RunLock.acquire(session: other, schema: schema, invocationId: "second", timeout: 30)
            taken.release()
        }
    }

    /// Terminating the lock session's backend mid-run stops the run with a clear error: the node
    /// in progress is cancelled (its relation is not created) and nothing more starts.
    ///
    /// The model waits on an advisory lock the test holds, so it cannot finish before the test has
    /// seen it running, however late the test's task is scheduled. (With a 60 s `pg_sleep`, a
    /// polling task starved by the suite's blocking work on the cooperative pool could first look
    /// after the model had finished: 2 failures in 4 loaded full-suite runs.)
    @Test func losingTheLockSessionStopsTheRun() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            let marker = UUID().uuidString
            try connection.execute("select pg_advisory_lock(hashtextextended($1, 0))", [marker])
            defer { _ = try? connection.execute("select pg_advisory_unlock(hashtextextended($1, 0))", [marker]) }
            fixture.model(
                "slow",
                "select 1 as n, '\(schema)' as marker from (select pg_advisory_xact_lock(hashtextextended('\(marker)', 0))) as waited"
            )
            fixture.model("after", "select n from \(qualifiedName(schema, "slow"))", dependsOn: ["slow"])
            let invocation = UUID().uuidString.lowercased()
            let runner = try fixture.runner(invocationId: invocation)
            let box = ErrorBox()
            let thread = Thread {
                do {
                    _ = try runner.run(selected: ["model.shop.slow", "model.shop.after"]);
                    box.set("finished without error")
                } catch { box.set("\(error)") }
            }
            thread.start()
            // The worker holds the run's shared lock once it has connected to run `slow`.
            let sessionsKey =
                "sqlt:" + (try connection.execute("select current_database()").scalar ?? "") + ".\(schema):sessions"
            #expect(
                try await Self.eventually {
                    let holders = try connection.execute(
                        """
                        select count(*) from pg_locks l where l.locktype = 'advisory' and l.mode = 'ShareLock' and l.granted
                          and ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($1, 0)
                        """, [sessionsKey]
                    ).scalar
                    return (Int(holders ?? "") ?? 0) >= 2
                })
            try connection.execute(
                "select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1",
                ["sqlt run \(invocation)"])
            #expect(try await Self.eventually { box.value != nil })
            #expect(box.value?.contains("the run lock's session on \(schema) ended") == true, "\(box.value ?? "")")
            #expect(
                try connection.rows(
                    "select to_regclass('\(schema).slow') is null and to_regclass('\(schema).after') is null") == ["t"])
        }
    }
}

final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: String?
    func set(_ value: String) { lock.lock(); stored = value; lock.unlock() }
    var value: String? { lock.lock(); defer { lock.unlock() }; return stored }
}

final class OutcomeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [[NodeStatus]] = []
    func append(_ value: [NodeStatus]) { lock.lock(); stored.append(value); lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return stored.count }
    var values: [[NodeStatus]] { lock.lock(); defer { lock.unlock() }; return stored }
}
