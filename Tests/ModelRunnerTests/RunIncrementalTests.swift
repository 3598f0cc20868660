import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// Incremental strategies and on_schema_change modes on the real PostgreSQL.
@Suite struct RunIncrementalTests {
    struct StrategyCase: Sendable, CustomTestStringConvertible {
        var config: NodeConfig
        var expected: [String]
        var message: String
        var testDescription: String { config.description }
    }

    @Test(arguments: [
        // merge upserts on the key: 2 updated, 3 added.
        StrategyCase(
            config: ["unique_key": "id_activity"], expected: ["1|a|1", "2|b2|1", "3|c|1"], message: "MERGE 2"),
        // delete+insert with a composite key.
        StrategyCase(
            config: ["unique_key": ["id_activity", "part"], "incremental_strategy": "delete+insert"],
            expected: ["1|a|1", "2|b2|1", "3|c|1"], message: "INSERT 2"),
        // append keeps the old version of 2.
        StrategyCase(
            config: ["incremental_strategy": "append"], expected: ["1|a|1", "2|b|1", "2|b2|1", "3|c|1"],
            message: "INSERT 2"),
        // a predicate restricting the merge to new keys leaves 2 alone and inserts a second 2.
        StrategyCase(
            config: ["unique_key": "id_activity", "incremental_predicates": ["DBT_INTERNAL_DEST.id_activity > 2"]],
            expected: ["1|a|1", "2|b|1", "2|b2|1", "3|c|1"], message: "MERGE 2"),
    ])
    func strategy(_ example: StrategyCase) async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            fixture.model(
                "activity", "select * from (values (1, 'a', 1), (2, 'b', 1)) v(id_activity, name, part)",
                config: ["materialized": "incremental"].merging(example.config) { $1 },
                incrementalSQL: "select * from (values (2, 'b2', 1), (3, 'c', 1)) v(id_activity, name, part)"
            )
            let first = try fixture.run()
            #expect(first.status("activity") == .success, "\(first.result("activity")?.message ?? "")")
            #expect(first.result("activity")?.message == "SELECT 2")
            let second = try fixture.run()
            #expect(second.status("activity") == .success, "\(second.result("activity")?.message ?? "")")
            #expect(second.result("activity")?.message == example.message)
            #expect(second.result("activity")?.rowsAffected == 2)
            let results = try RunResultsFile.read(from: fixture.targetPath.appendingPathComponent("run_results.json"))
            #expect(
                results.results.first?.compiledCode
                    == "select * from (values (2, 'b2', 1), (3, 'c', 1)) v(id_activity, name, part)")
            #expect(
                try connection.rows(
                    "select id_activity, name, part from \(qualifiedName(schema, "activity")) order by 1, 2")
                    == example.expected)
            // A full refresh rebuilds from the full SQL.
            let refreshed = try fixture.run(fullRefresh: true)
            #expect(refreshed.status("activity") == .success)
            #expect(
                try connection.rows("select id_activity, name from \(qualifiedName(schema, "activity")) order by 1")
                    == ["1|a", "2|b"])
        }
    }

    struct SchemaCase: Sendable, CustomTestStringConvertible {
        var mode: String
        var columns: [String]
        var rows: [String]
        var fails: Bool
        var testDescription: String { mode }
    }

    @Test(arguments: [
        SchemaCase(mode: "ignore", columns: ["id", "old"], rows: ["1|x", "2|y"], fails: true),
        SchemaCase(mode: "fail", columns: ["id", "old"], rows: ["1|x"], fails: true),
        SchemaCase(
            mode: "append_new_columns", columns: ["id", "old", "fresh"], rows: ["1|x|null", "2|null|n"], fails: false),
        SchemaCase(mode: "sync_all_columns", columns: ["id", "fresh"], rows: ["1|null", "2|n"], fails: false),
    ])
    func onSchemaChange(_ example: SchemaCase) async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            fixture.model(
                "inc", "select 1 as id, 'x'::text as old",
                config: ["materialized": "incremental", "on_schema_change": .string(example.mode)],
                incrementalSQL: "select 2 as id, 'n'::text as fresh"
            )
            try fixture.run()
            let second = try fixture.run()
            // `ignore` inserts the table's columns: the dropped column is an error from the server,
            // as in dbt; `fail` names the changed columns before touching anything.
            #expect((second.status("inc") == .error) == example.fails, "\(second.result("inc")?.message ?? "")")
            if example.mode == "fail" {
                #expect(second.result("inc")?.message.contains("added columns [fresh]; removed columns [old]") == true)
            }
            let table = qualifiedName(schema, "inc")
            #expect(
                try connection.rows(
                    "select attname from pg_attribute where attrelid = to_regclass('\(schema).inc') and attnum > 0 and not attisdropped order by attnum"
                ) == example.columns)
            if example.mode != "ignore" {
                #expect(try connection.rows("select * from \(table) order by id") == example.rows)
            }
        }
    }

    @Test func ignoreWithOnlyNewColumnsKeepsTheTableShape() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            var fixture = RunFixture(schema: schema, settings: settings)
            fixture.model(
                "inc", "select 1 as id", config: ["materialized": "incremental"],
                incrementalSQL: "select 2 as id, 'n'::text as fresh")
            try fixture.run()
            #expect(try fixture.run().status("inc") == .success)
            #expect(try connection.rows("select * from \(qualifiedName(schema, "inc")) order by id") == ["1", "2"])
        }
    }

    @Test func grantsFollowTheConfigAsADifference() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let roles = ["r1", "r2", "r3"].map { "sqlt_\($0)_\(schema)" }
            for role in roles { try connection.execute("create role \(quoteIdentifier(role))") }
            var fixture = RunFixture(schema: schema, settings: settings)
            func grantees() throws -> [String] {
                try connection.rows(
                    "select grantee from information_schema.role_table_grants where table_schema = '\(schema)' and table_name = 'inc' and privilege_type = 'SELECT' and grantee <> current_role order by grantee"
                )
            }
            var results: [NodeStatus?] = []
            fixture.model(
                "inc", "select 1 as id",
                config: ["materialized": "incremental", "grants": ["select": [.string(roles[0]), .string(roles[1])]]])
            results.append(try fixture.run().status("inc"))
            let afterFirst = try grantees()
            fixture.model(
                "inc", "select 1 as id",
                config: ["materialized": "incremental", "grants": ["select": [.string(roles[1]), .string(roles[2])]]])
            let second = try fixture.run()
            results.append(second.status("inc"))
            let afterSecond = try grantees()
            try connection.execute("drop table \(qualifiedName(schema, "inc"))")
            for role in roles { try connection.execute("drop role \(quoteIdentifier(role))") }
            #expect(results == [.success, .success])
            #expect(afterFirst == [roles[0], roles[1]])
            #expect(afterSecond == [roles[1], roles[2]])
            #expect(
                second.result("inc")?.executedSQL?.contains(
                    "revoke select on \(qualifiedName(schema, "inc")) from \(quoteIdentifier(roles[0]))") == true)
        }
    }

    @Test func sameRunSeesRelationsItBuilt() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let adapter = SessionRuntimeAdapter(session: connection, catalog: RelationListing(), state: RunState())
            #expect(adapter.relationExists(schema: schema, name: "nothing") == false)
            let state = RunState()
            state.markCreated(schema: schema, name: "built")
            #expect(
                SessionRuntimeAdapter(session: connection, catalog: RelationListing(), state: state).relationExists(
                    schema: schema, name: "built"))
            let rows = try adapter.runQuery("select 1 as one, null as two")
            #expect(rows.columns == ["one", "two"])
            #expect(rows.rows == [["1", nil]])
        }
    }
}
