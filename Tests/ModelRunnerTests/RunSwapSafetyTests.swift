import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// Rebuilding a relation never drops what the run does not rebuild, readers always see the old
/// or the new relation, and nothing of the old one outlives the swap.
@Suite struct RunSwapSafetyTests {
    /// t (table) <- v1 (view) <- v2 (view), plus a user's own BI view on t.
    static func chain(_ fixture: inout RunFixture, schema: String, amount: Int = 10) {
        fixture.model("t", "select g as id, g * \(amount) as amount from generate_series(1, 3) g")
        fixture.model(
            "v1", "select id, amount from \(qualifiedName(schema, "t"))", config: ["materialized": "view"],
            dependsOn: ["t"])
        fixture.model(
            "v2", "select sum(amount) as total from \(qualifiedName(schema, "v1"))", config: ["materialized": "view"],
            dependsOn: ["v1"])
    }

    static func relations(_ connection: PostgresConnection, _ schema: String) throws -> [String] {
        try connection.rows(
            "select relname || ':' || relkind::text from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = '\(schema)' and relkind in ('r', 'v', 'm') order by 1"
        )
    }

    @Test func rebuildingOneTableKeepsUnselectedViewsAndAUsersView() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            Self.chain(&fixture, schema: schema)
            #expect(try fixture.run().results.allSatisfy { $0.status == .success })
            let bi = qualifiedName(schema, "bi_report")
            try connection.execute(
                "create view \(bi) with (security_barrier=true) as select count(*) as n, max(total) as top from \(qualifiedName(schema, "v2"))"
            )
            try connection.execute("comment on view \(bi) is 'made by a BI user'")
            try connection.execute("comment on column \(bi).n is 'row count'")
            let role = "bi_\(schema)"
            try connection.execute("create role \(quoteIdentifier(role))")
            defer {
                _ = try? connection.execute("drop owned by \(quoteIdentifier(role))")
                _ = try? connection.execute("drop role \(quoteIdentifier(role))")
            }
            try connection.execute("grant select on \(bi) to \(quoteIdentifier(role)) with grant option")
            try connection.execute(
                "create materialized view \(qualifiedName(schema, "bi_mv")) as select id from \(qualifiedName(schema, "t"))"
            )
            try connection.execute("create unique index bi_mv_id on \(qualifiedName(schema, "bi_mv")) (id)")

            Self.chain(&fixture, schema: schema, amount: 100)
            let outcome = try fixture.run(["t"])
            #expect(outcome.status("t") == .success, "\(outcome.result("t")?.message ?? "")")
            #expect(try Self.relations(connection, schema) == ["bi_mv:m", "bi_report:v", "t:r", "v1:v", "v2:v"])
            #expect(try connection.rows("select n, top from \(bi)") == ["1|600"])
            #expect(
                try connection.rows(
                    "select obj_description(to_regclass('\(schema).bi_report'), 'pg_class'), col_description(to_regclass('\(schema).bi_report'), 1)"
                ) == ["made by a BI user|row count"])
            #expect(
                try connection.rows(
                    "select array_to_string(reloptions, ',') from pg_class where oid = to_regclass('\(schema).bi_report')"
                ) == ["security_barrier=true"])
            #expect(
                try connection.rows(
                    "select privilege_type, is_grantable from information_schema.role_table_grants where table_schema = '\(schema)' and table_name = 'bi_report' and grantee = '\(role)'"
                ) == ["SELECT|YES"])
            #expect(try connection.rows("select count(*) from \(qualifiedName(schema, "bi_mv"))") == ["3"])
            #expect(
                try connection.rows(
                    "select indexname from pg_indexes where schemaname = '\(schema)' and tablename = 'bi_mv'") == [
                        "bi_mv_id"
                    ])
        }
    }

    /// A view the run does not rebuild that cannot stand on the new table fails the node, and the
    /// old table and the view stay; once the views are rebuilt in the same run, the change goes in.
    @Test func aDependentThatCannotBeRecreatedFailsTheSwapUnlessTheRunRebuildsIt() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            Self.chain(&fixture, schema: schema)
            try fixture.run()
            fixture.model("t", "select g as id, g as quantity from generate_series(1, 3) g")
            let refused = try fixture.run(["t"])
            #expect(refused.status("t") == .error)
            let message = refused.result("t")?.message ?? ""
            #expect(
                message.contains(
                    "cannot replace \"\(schema)\".\"t\": view \(schema).v1 depends on it, is not rebuilt by this run"),
                "\(message)")
            #expect(try connection.rows("select total from \(qualifiedName(schema, "v2"))") == ["60"])
            #expect(try Self.relations(connection, schema) == ["t:r", "v1:v", "v2:v"])

            fixture.model(
                "v1", "select id, quantity as amount from \(qualifiedName(schema, "t"))",
                config: ["materialized": "view"], dependsOn: ["t"])
            // v2 reads v1, which cannot stand on the new t: the run must rebuild both.
            let partial = try fixture.run(["t", "v1"])
            #expect(
                partial.status("t") == .error
                    && (partial.result("t")?.message.contains("view \(schema).v2 depends on it") ?? false))
            let rebuilt = try fixture.run(["t", "v1", "v2"])
            #expect(rebuilt.results.allSatisfy { $0.status == .success }, "\(rebuilt.results.map(\.message))")
            #expect(try connection.rows("select total from \(qualifiedName(schema, "v2"))") == ["6"])
        }
    }

    /// A view whose new columns extend the old ones is replaced in place; one whose columns change
    /// is swapped, and in both cases the views built on it stay.
    @Test func viewsAreReplacedInPlaceOrSwappedKeepingTheirDependents() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            fixture.model("a", "select 1 as id", config: ["materialized": "view"])
            try fixture.run()
            let user = qualifiedName(schema, "user_view")
            try connection.execute("create view \(user) as select id from \(qualifiedName(schema, "a"))")
            let oid = try connection.rows("select to_regclass('\(schema).a')::oid")
            fixture.model("a", "select 2 as id, 'x'::text as label", config: ["materialized": "view"])
            let extended = try fixture.run(["a"])
            #expect(extended.status("a") == .success)
            #expect(extended.result("a")?.message == "CREATE VIEW")
            #expect(extended.result("a")?.executedSQL?.contains("create or replace view") == true)
            #expect(try connection.rows("select to_regclass('\(schema).a')::oid") == oid, "replaced in place")
            #expect(try connection.rows("select id from \(user)") == ["2"])

            fixture.model("a", "select 3::bigint as id", config: ["materialized": "view"])
            let retyped = try fixture.run(["a"])
            #expect(retyped.status("a") == .success, "\(retyped.result("a")?.message ?? "")")
            #expect(try connection.rows("select id from \(user)") == ["3"])
            #expect(try Self.relations(connection, schema) == ["a:v", "user_view:v"])
        }
    }

    /// Readers in a loop while tables under views are rebuilt see every relation every time.
    @Test func concurrentReadersNeverMissARelation() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            Self.chain(&fixture, schema: schema)
            fixture.model(
                "v3", "select id from \(qualifiedName(schema, "v1")) where id > 1", config: ["materialized": "view"],
                dependsOn: ["v1"])
            try fixture.run()
            let stop = StopFlag()
            let counts = ReaderCounts()
            let readers = [0, 1].map { (index: Int) -> Thread in
                let thread = Thread {
                    guard let reader = try? PostgresConnection(settings: settings) else {
                        counts.add(error: "could not connect"); return
                    }
                    let relation = qualifiedName(schema, ["v2", "v3"][index])
                    while !stop.isSet {
                        do {
                            _ = try reader.execute("select * from \(relation)")
                            _ = try reader.execute("select count(*) from \(qualifiedName(schema, "t"))")
                            counts.add(error: nil)
                        } catch { counts.add(error: "\(error)") }
                    }
                    counts.finished()
                }
                thread.start()
                return thread
            }
            _ = readers
            for round in 0..<6 {
                Self.chain(&fixture, schema: schema, amount: round + 1)
                let outcome = try fixture.run(threads: 2)
                #expect(outcome.results.allSatisfy { $0.status == .success }, "\(outcome.results.map(\.message))")
            }
            stop.set()
            while counts.finishedReaders < 2 { try await Task.sleep(nanoseconds: 10_000_000) }
            #expect(counts.reads > 0)
            #expect(counts.errors == [], "\(counts.errors.prefix(3))")
        }
    }

    /// A backup a killed run of an earlier version left, or a temporary relation, is dropped by
    /// the next run that builds the relation.
    @Test func leftBackupIsSweptByTheNextRun() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            Self.chain(&fixture, schema: schema)
            try fixture.run()
            try connection.execute(
                "create table \(qualifiedName(schema, "t__sqlt_backup_0a1b2c3d")) as select * from \(qualifiedName(schema, "t"))"
            )
            let reporter = CollectingReporter()
            #expect(try fixture.run(reporter: reporter).results.allSatisfy { $0.status == .success })
            #expect(try Self.relations(connection, schema) == ["t:r", "v1:v", "v2:v"])
            #expect(
                reporter.lines.contains {
                    $0.contains("left by an interrupted run: \(schema).t__sqlt_backup_0a1b2c3d")
                }, "\(reporter.lines)")
        }
    }
}

final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    func set() { lock.lock(); value = true; lock.unlock() }
}

final class ReaderCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var storedReads = 0
    private var storedErrors: [String] = []
    private var storedFinished = 0
    func add(error: String?) {
        lock.lock()
        if let error { storedErrors.append(error) } else { storedReads += 1 }
        lock.unlock()
    }
    func finished() { lock.lock(); storedFinished += 1; lock.unlock() }
    var reads: Int { lock.lock(); defer { lock.unlock() }; return storedReads }
    var errors: [String] { lock.lock(); defer { lock.unlock() }; return storedErrors }
    var finishedReaders: Int { lock.lock(); defer { lock.unlock() }; return storedFinished }
}
