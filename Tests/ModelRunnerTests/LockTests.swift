import Foundation
import ModelCompiler
import ModelRunner
import Testing
import TestSupport

/// The run lock: one run per target database and schema.
@Suite struct LockTests {
    @Test func heldLockTimesOutNamingTheHolder() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let holderSession = try PostgresConnection(settings: settings)
            let held = try RunLock.acquire(session: holderSession, schema: schema, invocationId: "first-run", timeout: 0)
            defer { held.release() }
            var fixture = RunFixture(schema: schema, settings: settings)
            fixture.model("orders", "select 1 as id")
            let runner = try fixture.runner(lockTimeout: 0.3)
            do {
                _ = try runner.run(selected: ["model.shop.orders"])
                Issue.record("the run should not have taken the lock")
            } catch let error as RunLockError {
                let text = error.description
                #expect(text.hasPrefix("another sqlt run holds the lock of ") && text.contains(".\(schema); gave up after 0s"))
                #expect(text.contains("application_name 'sqlt run first-run'"))
                #expect(text.contains("held by pid "))
                #expect(text.contains("its last query: select pg_try_advisory_lock"))
            }
            #expect(try connection.rows("select to_regclass('\(schema).orders') is null") == ["t"])
        }
    }

    @Test func otherSchemasAreNotBlocked() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let holderSession = try PostgresConnection(settings: settings)
            let held = try RunLock.acquire(session: holderSession, schema: schema + "_other", invocationId: "other", timeout: 0)
            defer { held.release() }
            let mine = try RunLock.acquire(session: connection, schema: schema, invocationId: "mine", timeout: 0)
            mine.release()
        }
    }

    @Test func twoConcurrentRunsTakeTurns() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            let log = qualifiedName(schema, "turns")
            try connection.execute("create table \(log) (run text, event text, at timestamptz default clock_timestamp())")
            fixture.model("slow", "select 1 as n from pg_sleep(0.5)")
            let first = try fixture.runner(lockTimeout: 60, onRunStart: ["insert into \(log) (run, event) values ('first', 'start')"], onRunEnd: ["insert into \(log) (run, event) values ('first', 'end')"])
            let second = try fixture.runner(lockTimeout: 60, onRunStart: ["insert into \(log) (run, event) values ('second', 'start')"], onRunEnd: ["insert into \(log) (run, event) values ('second', 'end')"])
            let outcomes = OutcomeBox()
            let threads = [first, second].map { runner in
                let thread = Thread {
                    do { outcomes.append(try runner.run(selected: ["model.shop.slow"]).results.map(\.status)) } catch { outcomes.append([]) }
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
}

final class OutcomeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [[NodeStatus]] = []
    func append(_ value: [NodeStatus]) { lock.lock(); stored.append(value); lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return stored.count }
    var values: [[NodeStatus]] { lock.lock(); defer { lock.unlock() }; return stored }
}
