import Foundation
import ModelCompiler
import Testing

@testable import ModelRunner

/// A generic test node as the compiler makes it from a property file.
func makeTestNode(
    _ name: String, test: String, namespace: String? = nil, column: String? = "id", kwargs: [String: JSONValue] = [:],
    model: String = "model.p.orders", config: NodeConfig = [:]
) -> ManifestNode {
    var arguments = kwargs
    if let column { arguments["column_name"] = .string(column) }
    return ManifestNode(
        uniqueId: "test.p.\(name)", resourceType: .test, name: name, packageName: "p", path: "\(name).sql",
        originalFilePath: "models/schema.yml", fqn: ["p", name], schema: "analytics", alias: name, rawCode: "",
        config: config, dependsOn: DependsOn(nodes: [model]),
        testMetadata: TestMetadata(name: test, kwargs: arguments, namespace: namespace), columnName: column,
        attachedNode: model)
}

@Suite struct DataTestConfigurationTests {
    @Test(arguments: [
        ("!=0", TestThreshold(.notEqual, 0)), (">10", TestThreshold(.greater, 10)),
        (">= 5", TestThreshold(.greaterOrEqual, 5)),
        ("<3", TestThreshold(.less, 3)), ("=0", TestThreshold(.equal, 0)), ("<> 2", TestThreshold(.notEqualSQL, 2)),
        ("<=1", TestThreshold(.lessOrEqual, 1)),
    ])
    func parsesThresholds(text: String, threshold: TestThreshold) {
        #expect(TestThreshold(parsing: text) == threshold)
    }

    @Test(arguments: ["", "10", "> ten", ">10; drop table x", "!", ">1.5", "> -", "like 3"])
    func rejectsThresholds(text: String) {
        #expect(TestThreshold(parsing: text) == nil)
    }

    @Test(arguments: [
        (TestThreshold(.greater, 10), 10, false), (TestThreshold(.greater, 10), 11, true),
        (TestThreshold(.notEqual, 0), 0, false), (TestThreshold(.greaterOrEqual, 5), 5, true),
        (TestThreshold(.less, 3), 2, true), (TestThreshold(.equal, 0), 0, true),
    ])
    func thresholdMatches(threshold: TestThreshold, failures: Int, expected: Bool) {
        #expect(threshold.matches(failures) == expected)
    }

    @Test func readsConfiguration() throws {
        let node = makeTestNode(
            "t", test: "unique",
            config: [
                "severity": "WARN", "error_if": ">10", "warn_if": ">=2", "limit": 7, "store_failures": true,
                "where": "x > 1",
            ])
        let configuration = try TestConfiguration(node: node)
        #expect(configuration.severity == .warn)
        #expect(configuration.errorIf == TestThreshold(.greater, 10))
        #expect(configuration.warnIf == TestThreshold(.greaterOrEqual, 2))
        #expect(configuration.limit == 7)
        #expect(configuration.storeFailuresAs == .table)
        #expect(configuration.whereClause == "x > 1")
        #expect(
            try TestConfiguration(
                node: makeTestNode("t", test: "unique", config: ["store_failures_as": "view", "store_failures": false])
            ).storeFailuresAs == .view)
    }

    @Test(arguments: [
        (["severity": "fatal"] as NodeConfig, "severity must be error or warn, not 'fatal'"),
        (
            ["error_if": "> 1 or true"] as NodeConfig,
            "error_if must be a comparison such as '>10' or '!=0', not '> 1 or true'"
        ),
        (["warn_if": 3] as NodeConfig, "warn_if must be a comparison such as '>10' or '!=0'"),
        (["limit": -1] as NodeConfig, "limit must be a non-negative integer"),
    ])
    func rejectsConfiguration(config: NodeConfig, message: String) {
        #expect(
            throws: Diagnostic.error(
                "test.config", message, at: SourceLocation(file: "models/schema.yml", line: 1, column: 1))
        ) {
            try TestConfiguration(node: makeTestNode("t", test: "unique", config: config))
        }
    }

    @Test func builtinDefaultsApplyUnlessSet() throws {
        let node = makeTestNode("t", test: "equal_rowcount", namespace: "dbt_utils", column: nil)
        #expect(try TestConfiguration(node: node).failCalc == "sum(coalesce(diff_count, 0))")
        let own = makeTestNode(
            "t", test: "equal_rowcount", namespace: "dbt_utils", column: nil, config: ["fail_calc": "max(diff_count)"])
        #expect(try TestConfiguration(node: own).failCalc == "max(diff_count)")
    }

    @Test(arguments: [
        (TestConfiguration.Severity.error, true, true, NodeStatus.fail),
        (.error, true, false, .warn),
        (.error, false, false, .pass),
        (.warn, true, true, .warn),
        (.warn, false, true, .pass),
    ])
    func status(severity: TestConfiguration.Severity, warn: Bool, error: Bool, status: NodeStatus) {
        #expect(TestConfiguration(severity: severity).status(shouldWarn: warn, shouldError: error) == status)
    }

    @Test func goldenCountQuery() {
        let configuration = TestConfiguration(errorIf: TestThreshold(.greater, 10), warnIf: .nonZero, limit: 100)
        #expect(
            configuration.countQuery(testSQL: "select * from t where id is null") == """
                select
                    count(*) as failures,
                    count(*) != 0 as should_warn,
                    count(*) > 10 as should_error
                from (
                    select * from t where id is null
                    limit 100
                ) dbt_internal_test
                """)
        #expect(TestConfiguration.trimmed("  select 1 ;\n; ") == "select 1")
    }

    @Test func compiledPathFollowsDbt() {
        #expect(
            TestFailureReport.compiledPath(for: makeTestNode("unique_orders_id", test: "unique"))
                == "target/compiled/p/models/schema.yml/unique_orders_id.sql")
    }

    @Test func masksPersonalColumnsOfTheModelAndUpstream() {
        var manifest = Manifest(
            metadata: ManifestMetadata(sqltVersion: "0", generatedAt: "", invocationId: "i", projectName: "p"))
        manifest.nodes["model.p.orders"] = ManifestNode(
            uniqueId: "model.p.orders", resourceType: .model, name: "orders", packageName: "p", path: "orders.sql",
            originalFilePath: "models/orders.sql", fqn: ["p", "orders"], schema: "s", alias: "orders", rawCode: "",
            columns: [
                "Salary": ColumnInfo(name: "Salary", meta: ["pii": "sensitive"]),
                "id": ColumnInfo(name: "id", meta: ["pii": "none"]),
            ])
        manifest.sources["source.p.hr.employees"] = SourceDefinition(
            uniqueId: "source.p.hr.employees", packageName: "p", sourceName: "hr", name: "employees",
            identifier: "employees",
            schema: "raw", relationName: "\"raw\".\"employees\"", originalFilePath: "models/sources.yml", fqn: [],
            columns: ["last_name": ColumnInfo(name: "last_name", meta: ["pii": "direct"])])
        manifest.parentMap["model.p.orders"] = ["source.p.hr.employees"]
        let masked = TestFailureReport.maskedColumns(
            for: makeTestNode("t", test: "unique", column: "last_name"), in: manifest)
        #expect(masked.isSuperset(of: ["salary", "last_name", "unique_field", "value_field"]))
        #expect(!masked.contains("id"))
        let report = TestFailureReport(
            failures: 2, condition: .nonZero, compiledPath: "target/compiled/p/x.sql",
            sample: QueryResult(
                columns: [.init(name: "id", typeOID: 23), .init(name: "SALARY", typeOID: 23)],
                rows: [["1", "50000"], ["2", nil]]),
            masking: masked)
        #expect(
            report.message == """
                Got 2 results, configured to fail if != 0
                  compiled code at target/compiled/p/x.sql
                  sample of failing rows (at most 5):
                    id | SALARY
                    1 | ****
                    2 | NULL
                """)
    }

    @Test func sampleValuesAreTruncated() {
        let long = String(repeating: "é", count: 1_000)
        let report = TestFailureReport(
            failures: 1, condition: .nonZero, compiledPath: "x.sql",
            sample: QueryResult(columns: [.init(name: "v", typeOID: 25)], rows: [[long], ["short"]]), masking: [])
        #expect(
            report.rows[0][0] == String(repeating: "é", count: TestFailureReport.maximumValueLength) + "… (2000 bytes)")
        #expect(report.rows[1][0] == "short")
    }

    @Test func goldenStoreFailures() {
        #expect(
            TestExecutor.storeFailuresStatements(
                sql: "select 1", as: .table, schema: "a_test_failures", name: "t", existingKind: "v") == [
                    #"create schema if not exists "a_test_failures""#, "begin",
                    #"drop view "a_test_failures"."t" cascade"#,
                    "create table \"a_test_failures\".\"t\" as (\nselect 1\n)", "commit",
                ])
        #expect(
            TestExecutor.storeFailuresStatements(sql: "select 1", as: .view, schema: "s", name: "t", existingKind: nil)[
                2] == "create view \"s\".\"t\" as (\nselect 1\n)")
        let long = makeTestNode(String(repeating: "x", count: 80), test: "unique")
        #expect(TestExecutor.failuresName(long).utf8.count <= 63)
        #expect(TestExecutor.failuresName(long) == TestExecutor.failuresName(long))
    }
}
