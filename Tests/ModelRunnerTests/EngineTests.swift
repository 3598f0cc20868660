import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// The run engine on the real PostgreSQL: parallel workers, failures, fail-fast, hooks, artifacts, cancellation.
@Suite struct EngineTests {
    /// a → (b, c) → d, each reading its parents.
    static func diamond(_ fixture: inout RunFixture, failing: String? = nil) {
        let schema = fixture.schema
        func t(_ name: String) -> String { qualifiedName(schema, name) }
        fixture.model("a", failing == "a" ? "select 1 / 0 as n" : "select 1 as n")
        fixture.model("b", "select n + 1 as n from \(t("a"))", dependsOn: ["a"])
        fixture.model(
            "c", failing == "c" ? "select n / 0 as n from \(t("a"))" : "select n + 2 as n from \(t("a"))",
            dependsOn: ["a"])
        fixture.model("d", "select b.n + c.n as n from \(t("b")) b, \(t("c")) c", dependsOn: ["b", "c"])
    }

    @Test func diamondOnFourThreads() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            Self.diamond(&fixture)
            for index in 0..<4 { fixture.model("free\(index)", "select \(index) as n") }
            let reporter = CollectingReporter()
            let outcome = try fixture.run(threads: 4, reporter: reporter)
            #expect(outcome.results.count == 8)
            #expect(outcome.results.allSatisfy { $0.status == .success })
            #expect(try connection.rows("select n from \(qualifiedName(schema, "d"))") == ["5"])
            // d finishes after both of its parents.
            let order = outcome.results.map(\.uniqueId)
            #expect(order.firstIndex(of: "model.shop.d")! > order.firstIndex(of: "model.shop.b")!)
            #expect(order.firstIndex(of: "model.shop.d")! > order.firstIndex(of: "model.shop.c")!)
            #expect(Set(outcome.results.map(\.threadId)).isSubset(of: Set((1...4).map { "Thread-\($0) (worker)" })))
            #expect(reporter.lines.filter { $0.contains(" START ") }.count == 8)
            #expect(reporter.lines.last == "Done. PASS=8 WARN=0 ERROR=0 SKIP=0 TOTAL=8")
            #expect(
                reporter.lines.contains("Finished running 8 models in \(String(format: "%.2f", outcome.elapsedTime))s.")
            )
        }
    }

    @Test func failureSkipsDescendantsAndSiblingsFinish() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            Self.diamond(&fixture, failing: "c")
            let reporter = CollectingReporter()
            let outcome = try fixture.run(threads: 2, reporter: reporter)
            #expect(outcome.status("a") == .success)
            #expect(outcome.status("b") == .success)
            #expect(outcome.status("c") == .error)
            #expect(outcome.status("d") == .skipped)
            #expect(outcome.result("d")?.message == "skipped because model.shop.c failed")
            #expect(
                reporter.lines.contains { $0.hasPrefix("4 of 4 SKIP relation \(schema).d because model.shop.c failed") }
            )
            #expect(reporter.lines.last == "Done. PASS=2 WARN=0 ERROR=1 SKIP=1 TOTAL=4")
            #expect(outcome.succeeded == false)
        }
    }

    @Test func failFastSkipsEverythingNotStarted() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            fixture.model("a_bad", "select 1 / 0 as n")
            fixture.model("z1", "select 1 as n")
            fixture.model("z2", "select 2 as n")
            let outcome = try fixture.run(threads: 1, failFast: true)
            #expect(outcome.status("a_bad") == .error)
            #expect(outcome.status("z1") == .skipped)
            #expect(outcome.status("z2") == .skipped)
            #expect(
                try connection.rows(
                    "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = '\(schema)'"
                ) == ["0"])
        }
    }

    @Test func failFastCancelsRunningQueries() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            fixture.model("slow", "select 1 as n from pg_sleep(30)")
            fixture.model("bad", "select 1 / (g - 1) as n from generate_series(1, 1) g, pg_sleep(0.3)")
            let outcome = try fixture.run(threads: 2, failFast: true)
            #expect(outcome.status("bad") == .error)
            #expect(outcome.status("slow") == .error)
            #expect(
                outcome.result("slow")?.message.contains("canceling statement due to user request") == true,
                "\(outcome.result("slow")?.message ?? "")")
        }
    }

    @Test func cancelStopsTheRun() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            fixture.model("slow", "select 1 as n from pg_sleep(30)")
            fixture.model("after", "select 1 as n", dependsOn: ["slow"])
            let holder = RunnerBox()
            let reporter = CollectingReporter(onStart: { _ in
                // Cancel until the run ends: the first cancel may come before the query is sent.
                Thread.detachNewThread {
                    while !holder.isDone { holder.runner?.cancel(); Thread.sleep(forTimeInterval: 0.05) }
                }
            })
            let runner = try fixture.runner(reporter: reporter)
            holder.runner = runner
            let outcome = try runner.run(selected: ["model.shop.slow", "model.shop.after"])
            holder.isDone = true
            #expect(outcome.cancelled)
            #expect(outcome.status("slow") == .error)
            #expect(outcome.result("slow")?.message.contains("canceling statement due to user request") == true)
            #expect(outcome.status("after") == .skipped)
        }
    }

    @Test func hooksAndArtifacts() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            fixture.model("orders", "select g as id from generate_series(1, 4) g")
            let log = qualifiedName(schema, "run_log")
            let reporter = CollectingReporter()
            let runner = try fixture.runner(
                invocationId: "11112222-3333-4444-5555-666677778888", reporter: reporter,
                onRunStart: ["create table if not exists \(log) (event text)", "insert into \(log) values ('start')"],
                onRunEnd: ["insert into \(log) select 'end ' || count(*) from \(qualifiedName(schema, "orders"))"]
            )
            let outcome = try runner.run(selected: ["model.shop.orders"])
            #expect(outcome.status("orders") == .success)
            #expect(try connection.rows("select event from \(log)") == ["start", "end 4"])
            #expect(reporter.lines.first == "Running 2 on-run-start hooks")
            #expect(
                reporter.lines.dropFirst().first?.hasPrefix("1 of 2 OK hook: shop.on-run-start.0 [CREATE TABLE in ")
                    == true)
            #expect(reporter.lines.contains { $0.hasPrefix("1 of 1 OK hook: shop.on-run-end.0 [INSERT 0 1 in ") })

            let results = try RunResultsFile.read(from: fixture.targetPath.appendingPathComponent("run_results.json"))
            #expect(results.metadata.invocationId == "11112222-3333-4444-5555-666677778888")
            #expect(results.metadata.dbtSchemaVersion == "https://schemas.getdbt.com/dbt/run-results/v6.json")
            let result = try #require(results.results.first)
            #expect(result.uniqueId == "model.shop.orders")
            #expect(result.status == .success)
            #expect(result.adapterResponse.message == "SELECT 4")
            #expect(result.adapterResponse.rowsAffected == 4)
            #expect(result.relationName == qualifiedName(schema, "orders"))
            #expect(result.timing.map(\.name) == ["compile", "execute"])
            #expect(results.args["which"] == "run")
            let executed = try String(
                contentsOf: fixture.targetPath.appendingPathComponent("run/shop/models/orders.sql"), encoding: .utf8)
            #expect(
                executed.contains(
                    "create table \(qualifiedName(schema, "orders__sqlt_tmp_11112222")) as (\nselect g as id from generate_series(1, 4) g\n)"
                ))
            #expect(executed.contains("begin;\n\nalter table"))
        }
    }

    @Test func ephemeralModelsAreNotBuiltNorCounted() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            fixture.model("eph", "select 1 as n", config: ["materialized": "ephemeral"])
            fixture.model("uses", "with eph as (select 1 as n) select n from eph", dependsOn: ["eph"])
            let reporter = CollectingReporter()
            let outcome = try fixture.run(reporter: reporter)
            #expect(outcome.results.map(\.uniqueId) == ["model.shop.uses"])
            #expect(reporter.lines.first?.hasPrefix("1 of 1 START table model") == true)
            let direct = ModelExecutor().execute(
                fixture.manifest.nodes["model.shop.eph"]!,
                in: ExecutionContext(
                    session: connection, manifest: fixture.manifest,
                    renderer: FixtureRenderer(manifest: fixture.manifest, incremental: [:]),
                    options: RunOptions(targetPath: fixture.targetPath, invocationId: "x", targetSchema: schema),
                    catalog: RelationListing(),
                    projectRoot: fixture.targetPath, threadId: "main"))
            #expect(direct.status == .success)
            #expect(direct.message == "ephemeral")
        }
    }

    @Test func catalogSnapshotReadsRelationsAndColumns() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            try connection.execute("create table \(qualifiedName(schema, "t")) (id integer, name varchar(20))")
            try connection.execute(
                "create view \(qualifiedName(schema, "v")) as select id from \(qualifiedName(schema, "t"))")
            try connection.execute("create materialized view \(qualifiedName(schema, "m")) as select 1 as x")
            let snapshot = try RelationListingReader.read(schemas: [schema, "no_such_schema"], session: connection)
            #expect(snapshot.relations.count == 3)
            #expect(snapshot.relation(schema: schema, name: "t")?.kind == .table)
            #expect(
                snapshot.relation(schema: schema, name: "t")?.columns.map { "\($0.name) \($0.type)" } == [
                    "id integer", "name character varying(20)",
                ])
            #expect(snapshot.relation(schema: schema, name: "v")?.kind == .view)
            #expect(snapshot.relation(schema: schema, name: "m")?.kind == .materializedView)
        }
    }
}

/// Lets a reporter callback reach the runner it reports for.
final class RunnerBox: @unchecked Sendable {
    private let lock = NSLock()
    private var storedRunner: Runner?
    private var done = false
    var runner: Runner? {
        get { lock.lock(); defer { lock.unlock() }; return storedRunner }
        set { lock.lock(); storedRunner = newValue; lock.unlock() }
    }
    var isDone: Bool {
        get { lock.lock(); defer { lock.unlock() }; return done }
        set { lock.lock(); done = newValue; lock.unlock() }
    }
}
