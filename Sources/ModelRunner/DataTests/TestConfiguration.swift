import Foundation
import ModelCompiler

/// A data test's configuration keys (dbt's), read and validated from its node.
public struct TestConfiguration: Sendable, Hashable {
    public enum Severity: String, Sendable { case error, warn }
    public enum StoreFailuresAs: String, Sendable { case table, view, ephemeral }

    public var severity: Severity
    public var errorIf: TestThreshold
    public var warnIf: TestThreshold
    /// `limit`: at most this many failing rows are counted.
    public var limit: Int?
    /// `fail_calc`: the aggregate over the failing rows, `count(*)` by default (SQL, as in dbt).
    public var failCalc: String
    /// `where`: applied by the renderer (the model is wrapped in a filtered subquery).
    public var whereClause: String?
    /// `store_failures` / `store_failures_as`: nil when failures are not stored.
    public var storeFailuresAs: StoreFailuresAs?

    public init(
        severity: Severity = .error, errorIf: TestThreshold = .nonZero, warnIf: TestThreshold = .nonZero,
        limit: Int? = nil, failCalc: String = "count(*)", whereClause: String? = nil,
        storeFailuresAs: StoreFailuresAs? = nil
    ) {
        self.severity = severity
        self.errorIf = errorIf
        self.warnIf = warnIf
        self.limit = limit
        self.failCalc = failCalc
        self.whereClause = whereClause
        self.storeFailuresAs = storeFailuresAs
    }

    /// Reads a test node's config; a bad value is a diagnostic at the test's declaration.
    /// Configuration a built-in test's package sets (`fail_calc` of `equal_rowcount`) applies
    /// when the node does not set the key.
    public init(node: ManifestNode) throws(Diagnostic) {
        var config = node.config
        if let metadata = node.testMetadata,
            let builtin = BuiltinGenericTests.lookup(
                metadata.namespace.map { "\($0).\(metadata.name)" } ?? metadata.name)
        {
            for (key, value) in builtin.defaultConfig where config[key] == nil { config[key] = value }
        }
        let location = node.declaredAt ?? SourceLocation(file: node.originalFilePath, line: 1, column: 1)
        func fail(_ message: String) -> Diagnostic { Diagnostic.error("test.config", message, at: location) }

        let severityText = config["severity"]?.stringValue?.lowercased() ?? "error"
        guard let severity = Severity(rawValue: severityText) else {
            throw fail("severity must be error or warn, not '\(config["severity"]?.stringValue ?? "")'")
        }
        func threshold(_ key: String) throws(Diagnostic) -> TestThreshold {
            guard let value = config[key], !value.isNull else { return .nonZero }
            guard let text = value.stringValue else {
                throw fail("\(key) must be a comparison such as '>10' or '!=0'")
            }
            guard let parsed = TestThreshold(parsing: text) else {
                throw fail("\(key) must be a comparison such as '>10' or '!=0', not '\(text)'")
            }
            return parsed
        }
        var limit: Int?
        if let value = config["limit"], !value.isNull {
            guard let number = value.intValue, number >= 0 else { throw fail("limit must be a non-negative integer") }
            limit = number
        }
        var storeAs: StoreFailuresAs?
        if let value = config["store_failures_as"], !value.isNull {
            guard let text = value.stringValue, let parsed = StoreFailuresAs(rawValue: text.lowercased()) else {
                throw fail("store_failures_as must be table, view or ephemeral")
            }
            storeAs = parsed == .ephemeral ? nil : parsed
        } else if config["store_failures"]?.boolValue == true {
            storeAs = .table
        }
        let failCalc = config["fail_calc"]?.stringValue.flatMap {
            $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0
        }
        self.init(
            severity: severity, errorIf: try threshold("error_if"), warnIf: try threshold("warn_if"), limit: limit,
            failCalc: failCalc ?? "count(*)", whereClause: config["where"]?.stringValue, storeFailuresAs: storeAs)
    }

    /// dbt's rule: fail when error-severity and `error_if` holds, else warn when `warn_if` holds.
    public func status(shouldWarn: Bool, shouldError: Bool) -> NodeStatus {
        if severity == .error && shouldError { return .fail }
        if shouldWarn { return .warn }
        return .pass
    }

    /// The status for a failure count computed elsewhere (the shared scan).
    public func status(failures: Int) -> NodeStatus {
        status(shouldWarn: warnIf.matches(failures), shouldError: errorIf.matches(failures))
    }

    /// dbt's `get_test_sql`: the failure count and both conditions over the test's failing rows.
    public func countQuery(testSQL: String) -> String {
        let limitClause = limit.map { "\n    limit \($0)" } ?? ""
        return """
            select
                \(failCalc) as failures,
                \(warnIf.sql(applyingTo: failCalc)) as should_warn,
                \(errorIf.sql(applyingTo: failCalc)) as should_error
            from (
                \(testSQL)\(limitClause)
            ) dbt_internal_test
            """
    }

    /// Up to `count` failing rows, for the message.
    public static func sampleQuery(testSQL: String, count: Int = 5) -> String {
        "select * from (\n\(testSQL)\n) dbt_internal_sample limit \(count)"
    }

    /// The test SQL with any trailing semicolons and whitespace removed (it is nested in subqueries).
    public static func trimmed(_ sql: String) -> String {
        var text = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix(";") {
            text.removeLast()
            text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return text
    }
}
