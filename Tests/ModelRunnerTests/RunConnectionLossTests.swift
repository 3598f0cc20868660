import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// A worker whose backend is terminated reconnects before its next node, and the node in flight
/// (nothing of it committed) runs once more.
@Suite struct RunConnectionLossTests {
    @Test func aTerminatedWorkerReconnectsAndRetriesItsNode() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            for index in 1...8 {
                fixture.model("m\(index)", "select \(index) as n, pg_sleep(0.3)::text as slept, '\(schema)' as marker")
            }
            fixture.model(
                "total",
                (1...8).map { "select n from \(qualifiedName(schema, "m\($0)"))" }.joined(separator: " union all "),
                dependsOn: (1...8).map { "m\($0)" })
            let invocation = UUID().uuidString.lowercased()
            let runner = try fixture.runner(threads: 4, invocationId: invocation)
            let terminated = ErrorBox()
            let killer = Thread {
                guard let watcher = try? PostgresConnection(settings: settings) else { return }
                // The first worker backend seen running a node's pg_sleep is terminated, once.
                for _ in 0..<400 {
                    let pid = try? watcher.execute(
                        """
                        select pid from pg_stat_activity where state = 'active' and query like '%pg_sleep(0.3)%\(schema)%'
                          and application_name not like 'sqlt run %' and pid <> pg_backend_pid() limit 1
                        """
                    ).scalar
                    if let pid {
                        _ = try? watcher.execute("select pg_terminate_backend(\(pid))")
                        terminated.set(pid)
                        return
                    }
                    Thread.sleep(forTimeInterval: 0.01)
                }
            }
            killer.start()
            let outcome = try runner.run(selected: Set(fixture.models.map(\.uniqueId)))
            #expect(terminated.value != nil, "no worker backend was terminated")
            #expect(outcome.results.count == 9)
            #expect(
                outcome.results.allSatisfy { $0.status == .success },
                "\(outcome.results.filter { $0.status != .success }.map(\.message))")
            #expect(try connection.rows("select count(*), sum(n) from \(qualifiedName(schema, "total"))") == ["8|36"])
        }
    }
}
