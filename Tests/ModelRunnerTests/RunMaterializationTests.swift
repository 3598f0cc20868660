import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// Each materialization on the real PostgreSQL, run twice.
@Suite struct RunMaterializationTests {
    @Test func tableTwiceIsIdempotentAndLeavesNothingBehind() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            fixture.model(
                "orders", "select g as id, g * 10 as amount from generate_series(1, 3) g",
                config: ["materialized": "table", "indexes": [["columns": ["id"], "unique": true]]])
            for _ in 0..<2 {
                let outcome = try fixture.run()
                #expect(outcome.status("orders") == .success, "\(outcome.result("orders")?.message ?? "")")
                #expect(outcome.result("orders")?.message == "SELECT 3")
                #expect(outcome.result("orders")?.rowsAffected == 3)
            }
            #expect(
                try connection.rows("select id, amount from \(qualifiedName(schema, "orders")) order by id") == [
                    "1|10", "2|20", "3|30",
                ])
            #expect(
                try connection.rows(
                    "select relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = '\(schema)' and relkind in ('r', 'i') order by relname"
                )
                    == [
                        "orders",
                        RelationNaming.index(relation: "orders", index: IndexConfig(columns: ["id"], unique: true)),
                    ])
        }
    }

    @Test func viewTwiceAndColumnChange() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            fixture.model("v", "select 1 as a, 'x'::text as b", config: ["materialized": "view"])
            #expect(try fixture.run().status("v") == .success)
            fixture.model("v", "select 2 as c", config: ["materialized": "view"])
            let outcome = try fixture.run()
            #expect(outcome.status("v") == .success)
            #expect(outcome.result("v")?.message == "CREATE VIEW")
            #expect(try connection.rows("select * from \(qualifiedName(schema, "v"))") == ["2"])
            #expect(
                try connection.rows(
                    "select relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = '\(schema)'"
                ) == ["v"])
        }
    }

    @Test func viewReplacesATable() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            fixture.model("m", "select 1 as a")
            try fixture.run()
            fixture.model("m", "select 5 as a", config: ["materialized": "view"])
            #expect(try fixture.run().status("m") == .success)
            #expect(
                try connection.rows(
                    "select relkind::text from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = '\(schema)'"
                ) == ["v"])
        }
    }

    @Test func materializedViewRefreshesThenRebuildsOnChangedSQL() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            try connection.execute("create table \(qualifiedName(schema, "raw")) as select 1 as id")
            var fixture = RunFixture(schema: schema, settings: settings)
            let config: NodeConfig = [
                "materialized": "materialized_view", "indexes": [["columns": ["id"], "unique": true]],
            ]
            fixture.model("mv", "select id from \(qualifiedName(schema, "raw"))", config: config)
            #expect(try fixture.run().status("mv") == .success)
            try connection.execute("insert into \(qualifiedName(schema, "raw")) values (2)")
            let refresh = try fixture.run()
            #expect(refresh.status("mv") == .success, "\(refresh.result("mv")?.message ?? "")")
            #expect(refresh.result("mv")?.executedSQL?.contains("refresh materialized view concurrently") == true)
            #expect(try connection.rows("select id from \(qualifiedName(schema, "mv")) order by id") == ["1", "2"])

            fixture.model("mv", "select id, id * 2 as double from \(qualifiedName(schema, "raw"))", config: config)
            let rebuild = try fixture.run()
            #expect(rebuild.status("mv") == .success, "\(rebuild.result("mv")?.message ?? "")")
            #expect(rebuild.result("mv")?.executedSQL?.contains("create materialized view") == true)
            #expect(
                try connection.rows("select id, double from \(qualifiedName(schema, "mv")) order by id") == [
                    "1|2", "2|4",
                ])
        }
    }

    @Test func partitionedTableCoversTheDataRange() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            fixture.model(
                "events",
                "select d::date as day, 1 as n from generate_series('2024-01-15'::date, '2024-03-02'::date, interval '1 day') d",
                config: ["materialized": "table", "partition_by": ["field": "day", "granularity": "month"]])
            for _ in 0..<2 {
                let outcome = try fixture.run()
                #expect(outcome.status("events") == .success, "\(outcome.result("events")?.message ?? "")")
            }
            #expect(try connection.rows("select count(*) from \(qualifiedName(schema, "events"))") == ["48"])
            #expect(
                try connection.rows("select relkind::text from pg_class where oid = to_regclass('\(schema).events')")
                    == ["p"])
            // Three monthly partitions plus the default one, attached to the current table only.
            #expect(
                try connection.rows(
                    "select count(*) from pg_inherits where inhparent = to_regclass('\(schema).events')") == ["4"])
        }
    }

    @Test func failingPostHookLeavesThePreviousTable() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            fixture.model("orders", "select g as id from generate_series(1, 5) g")
            try fixture.run()
            fixture.model(
                "orders", "select 99 as id", config: ["materialized": "table", "post_hook": ["select 1 / 0"]])
            let outcome = try fixture.run()
            #expect(outcome.status("orders") == .error)
            #expect(outcome.result("orders")?.message.contains("division by zero") == true)
            #expect(try connection.rows("select count(*) from \(qualifiedName(schema, "orders"))") == ["5"])
            #expect(
                try connection.rows(
                    "select relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = '\(schema)'"
                ) == ["orders"])
        }
    }

    @Test func contractMismatchLeavesTheOldTable() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            let columns = [
                ColumnInfo(name: "id", dataType: "int", index: 0), ColumnInfo(name: "name", dataType: "text", index: 1),
            ]
            let config: NodeConfig = ["materialized": "table", "contract": ["enforced": true]]
            fixture.model("c", "select 1 as id, 'a'::text as name", config: config, columns: columns)
            #expect(try fixture.run().status("c") == .success)
            fixture.model("c", "select 2::bigint as id, 'b'::text as name", config: config, columns: columns)
            let outcome = try fixture.run()
            #expect(outcome.status("c") == .error)
            #expect(
                outcome.result("c")?.message.contains("column id: contract data_type int, model returns bigint") == true
            )
            #expect(try connection.rows("select id, name from \(qualifiedName(schema, "c"))") == ["1|a"])
            #expect(
                try connection.rows(
                    "select relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = '\(schema)'"
                ) == ["c"])
        }
    }

    @Test func docsAndCustomSchema() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            let custom = schema + "_gold"
            fixture.model(
                "g", "select 1 as id",
                config: ["materialized": "table", "persist_docs": ["relation": true, "columns": true]],
                columns: [ColumnInfo(name: "id", description: "the key's value")], schema: custom)
            let status = try fixture.run().status("g")
            let docs = try connection.rows(
                "select obj_description(to_regclass('\(custom).g'), 'pg_class'), col_description(to_regclass('\(custom).g'), 1)"
            )
            try connection.execute("drop schema if exists \(quoteIdentifier(custom)) cascade")
            #expect(status == .success)
            #expect(docs == ["the g model|the key's value"])
        }
    }

    /// Replacing a view or table drops the old relation with cascade, which drops the views built on
    /// it; they are rebuilt later in the run and must then be created, not renamed. Every run of a
    /// chain view -> view -> table -> view succeeds (the second run used to fail).
    @Test func chainsOfViewsRebuildOnEveryRun() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            fixture.model("a", "select 1 as id", config: ["materialized": "view"])
            fixture.model(
                "b", "select id from \(qualifiedName(schema, "a"))", config: ["materialized": "view"], dependsOn: ["a"])
            fixture.model(
                "c", "select id from \(qualifiedName(schema, "b"))", config: ["materialized": "table"], dependsOn: ["b"]
            )
            fixture.model(
                "d", "select id + 1 as id from \(qualifiedName(schema, "c"))", config: ["materialized": "view"],
                dependsOn: ["c"])
            for round in 1...3 {
                let outcome = try fixture.run(threads: 2)
                for name in ["a", "b", "c", "d"] {
                    #expect(
                        outcome.status(name) == .success,
                        "round \(round), \(name): \(outcome.result(name)?.message ?? "")")
                }
                #expect(try connection.rows("select id from \(qualifiedName(schema, "d"))") == ["2"])
            }
        }
    }

    /// Temporary relations an interrupted run left behind are dropped at the next run that builds
    /// those relations (under the run lock); a user's relation whose name merely looks alike, and
    /// the leftover of a relation this run does not build, are kept.
    @Test func leftoversOfAnInterruptedRunAreDropped() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            try connection.execute("create table \(qualifiedName(schema, "m__sqlt_tmp_deadbeef")) (id int)")
            try connection.execute("create view \(qualifiedName(schema, "v__sqlt_tmp_0a1b2c3d")) as select 1 as id")
            try connection.execute("create table \(qualifiedName(schema, "keep__sqlt_tmp_notes")) (id int)")
            try connection.execute("create table \(qualifiedName(schema, "other__sqlt_tmp_0badc0de")) (id int)")
            var fixture = RunFixture(schema: schema, settings: settings)
            fixture.model("m", "select 1 as id")
            fixture.model("v", "select 2 as id", config: ["materialized": "view"])
            let reporter = CollectingReporter()
            let outcome = try fixture.run(reporter: reporter)
            #expect(outcome.status("m") == .success && outcome.status("v") == .success)
            let left = try connection.rows(
                "select relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = '\(schema)' and relkind in ('r', 'v') order by 1"
            )
            // Another model's leftover (not built by this run) is not this run's to drop.
            #expect(left == ["keep__sqlt_tmp_notes", "m", "other__sqlt_tmp_0badc0de", "v"])
            #expect(
                reporter.lines.contains {
                    $0.contains(
                        "Dropped 2 relations left by an interrupted run: \(schema).m__sqlt_tmp_deadbeef, \(schema).v__sqlt_tmp_0a1b2c3d"
                    )
                }, "\(reporter.lines)")
        }
    }

    @Test func databaseErrorNamesTheLineOfTheExecutedFile() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            fixture.model("bad", "select 1 as id,\n  2 as b\nfrom no_such_table_here")
            let outcome = try fixture.run()
            let message = try #require(outcome.result("bad")?.message)
            #expect(message.hasPrefix("Database Error in model bad (models/bad.sql)"))
            let location = try #require(
                message.split(separator: "\n").last { $0.contains("compiled code at target/run/shop/models/bad.sql:") })
            let line = try #require(Int(location.split(separator: ":").last!))
            let file = try String(
                contentsOf: fixture.targetPath.appendingPathComponent("run/shop/models/bad.sql"), encoding: .utf8)
            #expect(file.components(separatedBy: "\n")[line - 1] == "from no_such_table_here")
        }
    }
}
