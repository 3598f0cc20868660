import Foundation
import ModelCompiler

/// Runs data tests (resource type `.test`): the rendered SQL selects failing rows; the executor
/// counts them as dbt's `get_test_sql` does, applies severity and thresholds, optionally stores
/// the failing rows, and on failure samples up to five rows with personal data masked.
public struct TestExecutor: NodeExecutor {
    public init() {}

    public func execute(_ node: ManifestNode, in context: ExecutionContext) -> NodeResult {
        let started = Date()
        var clock = TestClock(node: node, context: context, started: started)
        let configuration: TestConfiguration
        do {
            configuration = try TestConfiguration(node: node)
        } catch {
            return clock.result(.error, error.description)
        }
        let sql: String
        do {
            // Rendered with the connection, as dbt does: package tests introspect the model (`execute` is true).
            let adapter = SessionRuntimeAdapter(session: context.session, catalog: context.catalog, state: RunState())
            sql = TestConfiguration.trimmed(
                try context.renderer.render(node.uniqueId, options: RenderOptions(), adapter: adapter))
        } catch {
            return clock.result(.error, error.description)
        }
        clock.compiled()
        do {
            var counted = sql
            var executed: [String] = []
            if let storeAs = configuration.storeFailuresAs {
                let schema = Self.failuresSchema(context), name = Self.failuresName(node)
                let existing = try context.session.execute(
                    "select c.relkind::text from pg_catalog.pg_class c join pg_catalog.pg_namespace n "
                        + "on n.oid = c.relnamespace where n.nspname = $1 and c.relname = $2", [schema, name]
                ).scalar
                let statements = Self.storeFailuresStatements(
                    sql: sql, as: storeAs, schema: schema, name: name, existingKind: existing)
                for statement in statements {
                    do {
                        try context.session.executeScript(statement)
                    } catch let error
                        where statement.hasPrefix("create schema")
                        && (error.sqlState == "23505" || error.sqlState == "42P06")
                    {
                        // Created by another worker at the same moment.
                    }
                }
                executed += statements
                counted = "select * from \(qualifiedName(Self.failuresSchema(context), Self.failuresName(node)))"
            }
            let query = configuration.countQuery(testSQL: counted)
            executed.append(query)
            let result = try context.session.execute(query)
            guard let row = result.rows.first else {
                return clock.result(.error, "the test query returned no row", sql: executed.joined(separator: ";\n"))
            }
            let failures = Self.integer(row.first ?? nil)
            let status = configuration.status(
                shouldWarn: Self.boolean(row.count > 1 ? row[1] : nil),
                shouldError: Self.boolean(row.count > 2 ? row[2] : nil))
            let message =
                status == .pass
                ? "PASS"
                : failureMessage(
                    node, sql: sql, failures: failures, configuration: configuration, status: status, context: context)
            return clock.result(status, message, failures: failures, sql: executed.joined(separator: ";\n"))
        } catch {
            _ = try? context.session.executeScript("rollback")
            return clock.result(.error, error.description, sql: sql)
        }
    }

    /// The message of a failing or warning test: count, condition, compiled path, masked samples.
    func failureMessage(
        _ node: ManifestNode, sql: String, failures: Int, configuration: TestConfiguration, status: NodeStatus,
        context: ExecutionContext
    ) -> String {
        let condition = status == .fail ? configuration.errorIf : configuration.warnIf
        let path = TestFailureReport.compiledPath(for: node)
        var report = TestFailureReport(
            failures: failures, condition: condition, compiledPath: path, columns: [], rows: [])
        if let sample = try? context.session.execute(TestConfiguration.sampleQuery(testSQL: sql)) {
            report = TestFailureReport(
                failures: failures, condition: condition, compiledPath: path, sample: sample,
                masking: TestFailureReport.maskedColumns(for: node, in: context.manifest))
        }
        report.outcome = status == .warn ? "warn" : "fail"
        return report.message
    }

    /// Runs several tests; simple generic tests of one model share one table scan
    /// (`SharedScanPlanner`), the rest run one by one. Results come back in the order of `nodes`.
    public func runBatch(nodes: [ManifestNode], context: ExecutionContext) -> [NodeResult] {
        let plan = SharedScanPlanner.plan(nodes, manifest: context.manifest)
        var results: [String: NodeResult] = [:]
        for group in plan.groups {
            guard let groupResults = runShared(group, context: context) else {
                // The shared query failed: run the group's tests one by one for precise errors.
                for member in group.members { results[member.node.uniqueId] = execute(member.node, in: context) }
                continue
            }
            for result in groupResults { results[result.uniqueId] = result }
        }
        for node in plan.individual { results[node.uniqueId] = execute(node, in: context) }
        return nodes.compactMap { results[$0.uniqueId] }
    }

    private func runShared(_ group: SharedScanPlanner.Group, context: ExecutionContext) -> [NodeResult]? {
        let started = Date()
        guard let result = try? context.session.execute(group.sql), let row = result.rows.first,
            row.count == group.members.count
        else {
            _ = try? context.session.executeScript("rollback")
            return nil
        }
        let elapsed = Date().timeIntervalSince(started) / Double(group.members.count)
        return zip(group.members, row).map { member, value in
            let node = member.node
            var clock = TestClock(node: node, context: context, started: started)
            let failures = Self.integer(value)
            let status = member.configuration.status(failures: failures)
            var message = "PASS"
            if status != .pass {
                let sql = (try? context.renderer.render(node.uniqueId, options: RenderOptions(), adapter: nil))
                    .map(TestConfiguration.trimmed)
                if let sql {
                    message = failureMessage(
                        node, sql: sql, failures: failures, configuration: member.configuration, status: status,
                        context: context)
                } else {
                    let condition = status == .fail ? member.configuration.errorIf : member.configuration.warnIf
                    var report = TestFailureReport(
                        failures: failures, condition: condition,
                        compiledPath: TestFailureReport.compiledPath(for: node),
                        columns: [], rows: [])
                    report.outcome = status == .warn ? "warn" : "fail"
                    message = report.message
                }
            }
            clock.executionTime = elapsed
            return clock.result(status, message, failures: failures, sql: group.sql)
        }
    }

    /// `<target schema>_test_failures`.
    static func failuresSchema(_ context: ExecutionContext) -> String {
        context.options.targetSchema + "_test_failures"
    }

    /// The test's alias, cut to 63 bytes with a stable hash suffix when longer.
    static func failuresName(_ node: ManifestNode) -> String {
        let name = node.alias.isEmpty ? node.name : node.alias
        guard name.utf8.count > 63 else { return name }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var prefix = name
        while prefix.utf8.count > 46 { prefix.removeLast() }
        return prefix + "_" + String(hash, radix: 16)
    }

    /// Replaces the stored failures of a test in one transaction.
    /// `existingKind` is the `pg_class.relkind` of what holds the name now, if anything.
    static func storeFailuresStatements(
        sql: String, as kind: TestConfiguration.StoreFailuresAs, schema: String, name: String, existingKind: String?
    ) -> [String] {
        let relation = qualifiedName(schema, name)
        let create =
            kind == .view
            ? "create view \(relation) as (\n\(sql)\n)" : "create table \(relation) as (\n\(sql)\n)"
        var statements = ["create schema if not exists \(quoteIdentifier(schema))", "begin"]
        switch existingKind {
        case nil: break
        case "v"?: statements.append("drop view \(relation) cascade")
        case "m"?: statements.append("drop materialized view \(relation) cascade")
        default: statements.append("drop table \(relation) cascade")
        }
        return statements + [create, "commit"]
    }

    static func integer(_ text: String?) -> Int {
        guard let text else { return 0 }
        if let value = Int(text) { return value }
        if let value = Double(text) { return Int(value.rounded()) }
        return 0
    }

    static func boolean(_ text: String?) -> Bool { text == "t" || text == "true" }
}

/// Timing and the common fields of a test's result.
struct TestClock {
    let node: ManifestNode
    let context: ExecutionContext
    let started: Date
    var compiledAt: Date?
    var executionTime: Double?

    init(node: ManifestNode, context: ExecutionContext, started: Date) {
        self.node = node
        self.context = context
        self.started = started
    }

    mutating func compiled() { compiledAt = Date() }

    func result(_ status: NodeStatus, _ message: String, failures: Int? = nil, sql: String? = nil) -> NodeResult {
        let completed = Date()
        var timing: [NodeTiming] = []
        if let compiledAt {
            timing.append(NodeTiming(name: "compile", startedAt: started, completedAt: compiledAt))
            timing.append(NodeTiming(name: "execute", startedAt: compiledAt, completedAt: completed))
        } else {
            timing.append(NodeTiming(name: "execute", startedAt: started, completedAt: completed))
        }
        return NodeResult(
            uniqueId: node.uniqueId, status: status, message: message, failures: failures, timing: timing,
            executionTime: executionTime ?? completed.timeIntervalSince(started), threadId: context.threadId,
            executedSQL: sql)
    }
}
