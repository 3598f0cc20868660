import Foundation
import ModelCompiler
import TestSupport
import Testing

@testable import ModelRunner

/// Renders a built-in test with Python's jinja2 (the reference Jinja), as the template engine
/// will: `{% test x %}` blocks become `test_x` macros of one library.
enum JinjaReference {
    static let script = #"""
        import sys, json, re, jinja2
        source = sys.stdin.read()
        source = re.sub(r"\{%(-?)\s*test\s+(\w+)\(", lambda m: "{%" + m.group(1) + " macro test_" + m.group(2) + "(", source)
        source = re.sub(r"\{%(-?)\s*endtest\s*(-?)%\}", lambda m: "{%" + m.group(1) + " endmacro " + m.group(2) + "%}", source)
        library = jinja2.Environment().from_string(source)
        print(getattr(library.module, "test_" + sys.argv[1])(**json.loads(sys.argv[2])))
        """#

    static var available: Bool { (try? render("not_null", ["model": "t", "column_name": "x"])) != nil }

    static func render(_ test: String, _ kwargs: [String: JSONValue]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let arguments = String(decoding: try JSONEncoder().encode(JSONValue.object(kwargs)), as: UTF8.self)
        process.arguments = ["python3", "-c", script, test, arguments]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(BuiltinGenericTests.source.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problem = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw DiagnosticsError([Diagnostic.error("jinja", String(decoding: problem, as: UTF8.self))])
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Builds execution contexts over the harness connection.
struct DataTestBench {
    let connection: any DatabaseSession
    let schema: String
    var manifest: Manifest

    init(connection: any DatabaseSession, schema: String) {
        self.connection = connection
        self.schema = schema
        manifest = Manifest(
            metadata: ManifestMetadata(sqltVersion: "0", generatedAt: "", invocationId: "inv", projectName: "p"))
        for name in ["t", "p", "old", "o"] {
            manifest.nodes["model.p.\(name)"] = ManifestNode(
                uniqueId: "model.p.\(name)", resourceType: .model, name: name, packageName: "p", path: "\(name).sql",
                originalFilePath: "models/\(name).sql", fqn: ["p", name], schema: schema, alias: name,
                relationName: qualifiedName(schema, name), rawCode: "")
        }
    }

    func relation(_ name: String) -> String { qualifiedName(schema, name) }

    func context(_ sql: [String: String]) -> ExecutionContext {
        ExecutionContext(
            session: connection, manifest: manifest, renderer: FixedRenderer(sql),
            options: RunOptions(
                targetPath: URL(fileURLWithPath: "/tmp/target"), invocationId: "inv", targetSchema: schema),
            catalog: RelationListing(), projectRoot: URL(fileURLWithPath: "/tmp"), threadId: "Thread-1")
    }

    func setUp() throws {
        try connection.executeScript(
            """
            create table \(relation("t")) (id int, name text, status text, amount numeric, a int, b int, ts timestamptz, grp text, nothing text);
            insert into \(relation("t")) values (1,'ann','open',10,5,1,now(),'x',null),(2,'bob','closed',20,5,5,now()-interval '3 days','x',null),
              (2,'cid','weird',-5,1,2,null,'y',null),(null,null,'open',1000,null,1,now(),'y',null),(3,'Ann','',30,2,1,now(),'y',null);
            create table \(relation("p")) (pid int); insert into \(relation("p")) values (1),(2);
            create table \(relation("old")) (ts timestamp); insert into \(relation("old")) values (now() - interval '3 days');
            """)
    }

    /// Runs one test node whose SQL is `sql`.
    func run(_ node: ManifestNode, sql: String) -> NodeResult {
        TestExecutor().execute(node, in: context([node.uniqueId: sql]))
    }
}

@Suite struct DataTestExecutionTests {
    /// Each built-in test on crafted data: (test, namespace, kwargs with "model" naming a table, failures).
    static let builtinCases: [(String, String?, [String: JSONValue], Int)] = [
        ("unique", nil, ["column_name": "id"], 1),
        ("unique", nil, ["column_name": "name"], 0),
        ("not_null", nil, ["column_name": "id"], 1),
        ("not_null", nil, ["column_name": "amount"], 0),
        ("accepted_values", nil, ["column_name": "status", "values": ["open", "closed"]], 2),
        ("accepted_values", nil, ["column_name": "status", "values": ["open", "closed", "weird", ""]], 0),
        ("accepted_values", nil, ["column_name": "id", "values": [1, 2, 3], "quote": false], 0),
        ("relationships", nil, ["column_name": "id", "to": "@p", "field": "pid"], 1),
        ("accepted_range", "dbt_utils", ["column_name": "amount", "min_value": 0, "max_value": 100], 2),
        (
            "accepted_range", "dbt_utils",
            ["column_name": "amount", "min_value": 10, "max_value": 100, "inclusive": false], 3
        ),
        ("accepted_range", "dbt_utils", ["column_name": "amount", "min_value": -10], 0),
        ("expression_is_true", "dbt_utils", ["expression": "a >= b"], 1),
        ("expression_is_true", "dbt_utils", ["expression": "amount > -100"], 0),
        ("unique_combination_of_columns", "dbt_utils", ["combination_of_columns": ["id", "a"]], 0),
        ("unique_combination_of_columns", "dbt_utils", ["combination_of_columns": ["grp"], "quote_columns": true], 2),
        ("not_null_proportion", "dbt_utils", ["column_name": "name", "at_least": 0.9], 1),
        ("not_null_proportion", "dbt_utils", ["column_name": "name", "at_least": 0.5, "group_by_columns": ["grp"]], 0),
        ("recency", "dbt_utils", ["field": "ts", "datepart": "day", "interval": 1], 0),
        ("recency", "dbt_utils", ["model": "@old", "field": "ts", "datepart": "day", "interval": 1], 1),
        ("at_least_one", "dbt_utils", ["column_name": "name"], 0),
        ("at_least_one", "dbt_utils", ["column_name": "nothing"], 1),
        ("not_constant", "dbt_utils", ["column_name": "grp"], 0),
        ("not_constant", "dbt_utils", ["column_name": "a", "group_by_columns": ["grp"]], 1),
        ("equal_rowcount", "dbt_utils", ["compare_model": "@p"], 3),
        ("equal_rowcount", "dbt_utils", ["compare_model": "@t"], 0),
        (
            "expect_column_values_to_be_between", "dbt_expectations",
            ["column_name": "amount", "min_value": 0, "max_value": 100], 2
        ),
        (
            "expect_column_values_to_be_between", "dbt_expectations",
            ["column_name": "amount", "min_value": 10, "strictly": true], 2
        ),
        (
            "expect_column_values_to_be_between", "dbt_expectations",
            ["column_name": "amount", "min_value": -5, "max_value": 1000], 0
        ),
        ("expect_column_values_to_match_regex", "dbt_expectations", ["column_name": "name", "regex": "^[a-z]+$"], 1),
        (
            "expect_column_values_to_match_regex", "dbt_expectations",
            ["column_name": "name", "regex": "^[a-z]+$", "flags": "i"], 0
        ),
        (
            "expect_column_values_to_be_in_set", "dbt_expectations",
            ["column_name": "status", "value_set": ["open", "closed"]], 2
        ),
        ("expect_column_values_to_be_in_set", "dbt_expectations", ["column_name": "grp", "value_set": ["x", "y"]], 0),
        ("expect_table_row_count_to_be_between", "dbt_expectations", ["min_value": 1, "max_value": 3], 1),
        ("expect_table_row_count_to_be_between", "dbt_expectations", ["min_value": 1, "max_value": 5], 0),
        (
            "expect_column_pair_values_A_to_be_greater_than_B", "dbt_expectations", ["column_A": "a", "column_B": "b"],
            2
        ),
        (
            "expect_column_pair_values_A_to_be_greater_than_B", "dbt_expectations",
            ["column_A": "a", "column_B": "b", "or_equal": true], 1
        ),
        ("expect_column_values_to_be_unique", "dbt_expectations", ["column_name": "id"], 1),
        ("expect_column_values_to_be_unique", "dbt_expectations", ["column_name": "name"], 0),
        ("expect_column_values_to_not_be_null", "dbt_expectations", ["column_name": "id"], 1),
        ("expect_column_values_to_not_be_null", "dbt_expectations", ["column_name": "grp"], 0),
    ]

    @Test func everyBuiltinTestHasACase() {
        #expect(Set(Self.builtinCases.map(\.0)) == Set(BuiltinGenericTests.all.map(\.name)))
    }

    @Test func builtinTestsCountFailingRows() async throws {
        guard JinjaReference.available else {
            Issue.record("python3 with jinja2 is needed to render the built-in tests")
            return
        }
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            let bench = DataTestBench(connection: connection, schema: schema)
            try bench.setUp()
            for (index, (test, namespace, kwargs, expected)) in Self.builtinCases.enumerated() {
                // "@name" is a table of the test schema; "model" defaults to t.
                var arguments = kwargs.mapValues { value -> JSONValue in
                    if case .string(let s) = value, s.hasPrefix("@") {
                        return .string(bench.relation(String(s.dropFirst())))
                    }
                    return value
                }
                if arguments["model"] == nil { arguments["model"] = .string(bench.relation("t")) }
                let sql = try JinjaReference.render(test, arguments)
                let node = makeTestNode(
                    "case_\(index)_\(test)", test: test, namespace: namespace,
                    column: kwargs["column_name"]?.stringValue,
                    kwargs: kwargs, model: "model.p.t")
                let result = bench.run(node, sql: sql)
                #expect(result.failures == expected, "\(test) \(kwargs): \(result.message)")
                #expect(result.status == (expected == 0 ? .pass : .fail), "\(test) \(kwargs): \(result.message)")
            }
        }
    }

    static let notNullSQL = "select * from %@ where id is null"

    @Test func severityAndThresholds() async throws {
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            let bench = DataTestBench(connection: connection, schema: schema)
            try bench.setUp()
            let sql = "select * from \(bench.relation("t")) where amount < 1000"  // 4 failing rows
            let cases: [(NodeConfig, NodeStatus)] = [
                ([:], .fail),
                (["severity": "warn"], .warn),
                (["severity": "WARN", "warn_if": ">10"], .pass),
                (["error_if": ">10"], .warn),
                (["error_if": ">3"], .fail),
                (["error_if": ">10", "warn_if": ">5"], .pass),
                (["error_if": "=4"], .fail),
                (["error_if": "<3", "warn_if": "<3"], .pass),
                (["limit": 2, "error_if": ">=3"], .warn),
            ]
            for (config, status) in cases {
                let result = bench.run(
                    makeTestNode("t_amount", test: "custom", column: nil, model: "model.p.t", config: config), sql: sql)
                #expect(result.status == status, "\(config): \(result.message)")
                #expect(result.failures == ((config["limit"] != nil) ? 2 : 4))
            }
            let warned = bench.run(
                makeTestNode("t_amount", test: "custom", column: nil, config: ["severity": "warn"]), sql: sql)
            #expect(
                warned.message.hasPrefix(
                    "Got 4 results, configured to warn if != 0\n  compiled code at target/compiled/p/models/schema.yml/t_amount.sql"
                ))
        }
    }

    @Test func failingSQLIsAnErrorWithTheServerMessage() async throws {
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            let bench = DataTestBench(connection: connection, schema: schema)
            let result = bench.run(
                makeTestNode("broken", test: "custom"), sql: "select * from \(bench.relation("missing"))")
            #expect(result.status == .error)
            #expect(result.message.contains("does not exist"))
            let config = bench.run(
                makeTestNode("bad", test: "custom", config: ["error_if": "> 1; drop"]), sql: "select 1")
            #expect(config.status == .error)
            #expect(config.message.contains("error_if must be a comparison"))
        }
    }

    @Test func storeFailuresKeepsTheFailingRowsReplacedEachRun() async throws {
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            let bench = DataTestBench(connection: connection, schema: schema)
            try bench.setUp()
            let node = makeTestNode("not_null_t_id", test: "not_null", config: ["store_failures": true])
            let first = bench.run(node, sql: "select * from \(bench.relation("t")) where id is null")
            #expect(first.status == .fail && first.failures == 1)
            let stored = qualifiedName(schema + "_test_failures", "not_null_t_id")
            #expect(try connection.execute("select amount::text, grp from \(stored)").rows == [["1000", "y"]])
            try connection.execute("update \(bench.relation("t")) set id = 9 where id is null")
            let second = bench.run(node, sql: "select * from \(bench.relation("t")) where id is null")
            #expect(second.status == .pass)
            #expect(try connection.execute("select count(*) from \(stored)").scalar == "0")
            let view = makeTestNode("amount_view", test: "custom", config: ["store_failures_as": "view"])
            _ = bench.run(view, sql: "select * from \(bench.relation("t")) where amount > 100")
            #expect(
                try connection.execute(
                    "select relkind::text from pg_class where oid = to_regclass($1)",
                    [schema + "_test_failures.amount_view"]
                ).scalar == "v")
            try connection.execute("drop schema \(quoteIdentifier(schema + "_test_failures")) cascade")
        }
    }

    @Test func samplesMaskPersonalColumns() async throws {
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            var bench = DataTestBench(connection: connection, schema: schema)
            try bench.setUp()
            bench.manifest.nodes["model.p.t"]?.columns = [
                "name": ColumnInfo(name: "name", meta: ["pii": "direct"]),
                "amount": ColumnInfo(name: "amount", meta: ["pii": "sensitive"]),
                "grp": ColumnInfo(name: "grp", meta: ["pii": "none"]),
            ]
            let node = makeTestNode("high_amount", test: "custom", column: nil, model: "model.p.t")
            let result = TestExecutor().execute(
                node,
                in: bench.context([
                    node.uniqueId: "select id, name, amount, grp from \(bench.relation("t")) where id = 2 order by name"
                ]))
            #expect(result.status == .fail)
            #expect(
                result.message.hasSuffix(
                    """
                      sample of failing rows (at most 5):
                        id | name | amount | grp
                        2 | **** | **** | x
                        2 | **** | **** | y
                    """))
            #expect(!result.message.contains("bob") && !result.message.contains("20"))
        }
    }

    /// Crafted bad data: nulls, duplicated values (one of them three times) and values outside the list.
    static func craftOrders(_ bench: DataTestBench, rows: Int) throws {
        try bench.connection.executeScript(
            """
            create table \(bench.relation("o")) as
            select case when i % 1000 = 0 then null else i end as id,
                   case when i % 7 = 0 then 'x' || (i % 5) when i % 3 = 0 then null else 'open' end as status,
                   i % 100 as code
            from generate_series(1, \(rows)) i;
            insert into \(bench.relation("o")) values (5, 'open', 1), (5, 'closed', 1), (17, 'open', 2), (null, 'open', 3);
            analyze \(bench.relation("o"));
            """)
    }

    static func sharedScanNodes() -> [ManifestNode] {
        [
            makeTestNode("nn_id", test: "not_null", model: "model.p.o"),
            makeTestNode("u_id", test: "unique", model: "model.p.o"),
            makeTestNode(
                "av_status", test: "accepted_values", column: "status", kwargs: ["values": ["open", "closed"]],
                model: "model.p.o"),
            makeTestNode("nn_status", test: "not_null", column: "status", model: "model.p.o"),
            makeTestNode("u_code", test: "unique", column: "code", model: "model.p.o"),
            makeTestNode(
                "av_code", test: "accepted_values", column: "code", kwargs: ["values": [1, 2, 3], "quote": false],
                model: "model.p.o"),
        ]
    }

    static func individualSQL(_ bench: DataTestBench) throws -> [String: String] {
        var sql: [String: String] = [:]
        for node in sharedScanNodes() {
            var kwargs = node.testMetadata!.kwargs
            kwargs["model"] = .string(bench.relation("o"))
            sql[node.uniqueId] = try JinjaReference.render(node.testMetadata!.name, kwargs)
        }
        return sql
    }

    @Test func sharedScanGivesTheSameCountsAsOneQueryPerTest() async throws {
        guard JinjaReference.available else {
            Issue.record("python3 with jinja2 is needed to render the built-in tests")
            return
        }
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            let bench = DataTestBench(connection: connection, schema: schema)
            try Self.craftOrders(bench, rows: 10_000)
            let nodes = Self.sharedScanNodes()
            let context = bench.context(try Self.individualSQL(bench))
            let plan = SharedScanPlanner.plan(nodes, manifest: bench.manifest)
            #expect(plan.groups.count == 1 && plan.individual.isEmpty)
            let shared = TestExecutor().runBatch(nodes: nodes, context: context)
            let single = nodes.map { TestExecutor().execute($0, in: context) }
            #expect(shared.map(\.uniqueId) == nodes.map(\.uniqueId))
            #expect(shared.map(\.failures) == single.map(\.failures))
            #expect(shared.map(\.status) == single.map(\.status))
            // id: 10 nulls + 1; duplicated ids 5 and 17; statuses x0..x4; codes: all 100 duplicated, 97 outside 1,2,3.
            #expect(single.map(\.failures) == [11, 2, 5, 2857, 100, 97])
            #expect(shared[0].message.contains("Got 11 results"))
        }
    }

    @Test func batchFallsBackToSingleTestsWhenTheSharedQueryFails() async throws {
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            let bench = DataTestBench(connection: connection, schema: schema)
            try Self.craftOrders(bench, rows: 100)
            let nodes = [
                makeTestNode("nn_missing", test: "not_null", column: "missing", model: "model.p.o"),
                makeTestNode("nn_code", test: "not_null", column: "code", model: "model.p.o"),
            ]
            let context = bench.context([
                "test.p.nn_missing": "select * from \(bench.relation("o")) where missing is null",
                "test.p.nn_code": "select * from \(bench.relation("o")) where code is null",
            ])
            let results = TestExecutor().runBatch(nodes: nodes, context: context)
            #expect(results.map(\.status) == [.error, .pass])
            #expect(results[0].message.contains("missing"))
        }
    }

    /// Prints the time of one query per test against one shared scan on 1,000,000 rows of good
    /// data (every test passes, so no sample queries): a measurement, not an assertion. Run it
    /// alone: `SQLT_BENCH_TESTS=1 swift test --filter sharedScanTimingOnAMillionRows`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SQLT_BENCH_TESTS"] != nil))
    func sharedScanTimingOnAMillionRows() async throws {
        guard JinjaReference.available else { return }
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            let bench = DataTestBench(connection: connection, schema: schema)
            try connection.executeScript(
                """
                create table \(bench.relation("o")) as
                select i as id, case when i % 2 = 0 then 'open' else 'closed' end as status, i * 2 as code
                from generate_series(1, 1000000) i;
                analyze \(bench.relation("o"));
                """)
            let nodes = [
                makeTestNode("nn_id", test: "not_null", model: "model.p.o"),
                makeTestNode("u_id", test: "unique", model: "model.p.o"),
                makeTestNode(
                    "av_status", test: "accepted_values", column: "status", kwargs: ["values": ["open", "closed"]],
                    model: "model.p.o"),
                makeTestNode("nn_status", test: "not_null", column: "status", model: "model.p.o"),
                makeTestNode("u_code", test: "unique", column: "code", model: "model.p.o"),
                makeTestNode("nn_code", test: "not_null", column: "code", model: "model.p.o"),
            ]
            var sql: [String: String] = [:]
            for node in nodes {
                var kwargs = node.testMetadata!.kwargs
                kwargs["model"] = .string(bench.relation("o"))
                sql[node.uniqueId] = try JinjaReference.render(node.testMetadata!.name, kwargs)
            }
            let context = bench.context(sql)
            let clock = ContinuousClock()
            var single: [NodeResult] = []
            let separate = clock.measure { single = nodes.map { TestExecutor().execute($0, in: context) } }
            var shared: [NodeResult] = []
            let together = clock.measure { shared = TestExecutor().runBatch(nodes: nodes, context: context) }
            print("data tests on 1,000,000 rows: \(nodes.count) queries \(separate), one shared query \(together)")
            #expect(shared.map(\.failures) == single.map(\.failures))
            #expect(single.allSatisfy { $0.status == .pass })
        }
    }
}
