import Foundation
import ModelCompiler
import Testing

@testable import ModelRunner

/// run_results.json keys, atomic writing and reading back; the console format.
@Suite struct ArtifactTests {
    static func results() -> [NodeResult] {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        return [
            NodeResult(
                uniqueId: "model.shop.orders", status: .success, message: "SELECT 3", rowsAffected: 3,
                timing: [NodeTiming(name: "execute", startedAt: start, completedAt: start.addingTimeInterval(0.5))],
                executionTime: 0.5, threadId: "Thread-1 (worker)", executedSQL: "create table x as (select 1);\n\n",
                relation: "analytics.orders"),
            NodeResult(
                uniqueId: "model.shop.customers", status: .error, message: "Database Error in model customers",
                threadId: "Thread-2 (worker)"),
            NodeResult(
                uniqueId: "model.shop.report", status: .skipped, message: "skipped because model.shop.customers failed"),
        ]
    }

    @Test func runResultsRoundTrip() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sqlt-artifacts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let nodes = Dictionary(
            uniqueKeysWithValues: ["orders", "customers", "report"].map { ("model.shop.\($0)", PlanFixture.node($0)) })
        let options = RunOptions(targetPath: folder, invocationId: "inv-1", targetSchema: "analytics")
        try RunArtifacts.write(
            Self.results(), nodes: nodes, options: options, elapsedTime: 1.25, args: ["which": "run"])

        let url = ArtifactPaths.runResultsURL(targetPath: folder)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let metadata = try #require(json["metadata"] as? [String: Any])
        #expect(metadata["dbt_schema_version"] as? String == "https://schemas.getdbt.com/dbt/run-results/v6.json")
        #expect(metadata["invocation_id"] as? String == "inv-1")
        #expect((metadata["generated_at"] as? String)?.hasSuffix("Z") == true)
        #expect(json["elapsed_time"] as? Double == 1.25)
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(results.count == 3)
        let first = results[0]
        #expect(
            Set(first.keys).isSuperset(of: [
                "unique_id", "status", "timing", "thread_id", "execution_time", "adapter_response", "message",
                "relation_name", "compiled", "compiled_code",
            ]))
        let response = try #require(first["adapter_response"] as? [String: Any])
        #expect(response["_message"] as? String == "SELECT 3")
        #expect(response["code"] as? String == "SELECT")
        #expect(response["rows_affected"] as? Int == 3)
        #expect(first["relation_name"] as? String == #""analytics"."orders""#)

        let read = try RunResultsFile.read(from: url)
        #expect(read.retryIds == ["model.shop.customers", "model.shop.report"])
        let executed = try String(
            contentsOf: folder.appendingPathComponent("run/shop/models/orders.sql"), encoding: .utf8)
        #expect(executed == "create table x as (select 1);\n\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    final class Lines: @unchecked Sendable {
        let lock = NSLock()
        var lines: [String] = []
        func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    }

    /// run_results.json and OpenLineage times, written by hand, agree with Foundation's formatters
    /// (dates chosen away from rounding edges: a formatter may round where this truncates).
    @Test(arguments: [0.0, 1_700_000_000.25, 1_771_800_000.5, 951_782_400.125, 4_102_444_799.75])
    func timestampsMatchFoundation(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'"
        #expect(RunResultsFile.timestamp(date) == formatter.string(from: date))
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        #expect(OpenLineageEventBuilder.timestamp(date) == iso.string(from: date))
    }

    /// Executed SQL goes to target/run/<project>/<original path>, written on every core; nodes
    /// declared in one property file get one file each in a folder named after it (dbt's layout;
    /// sqlt used to let the last overwrite the others), and no temporary is left.
    @Test func executedSQLFilesAreWrittenOneFilePerNode() throws {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("sqlt-runfiles-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: target) }
        var nodes: [String: ManifestNode] = [:]
        var results: [NodeResult] = []
        for index in 0..<200 {
            var node = PlanFixture.node("m\(index)")
            node.originalFilePath = index < 3 ? "models/shared/_models.yml" : "models/f\(index % 7)/m\(index).sql"
            nodes[node.uniqueId] = node
            var result = NodeResult(uniqueId: node.uniqueId, status: .success, message: "OK")
            result.executedSQL = "select \(index);\n"
            results.append(result)
        }
        try RunArtifacts.writeExecutedSQL(results, nodes: nodes, targetPath: target)
        let run = target.appendingPathComponent("run/\(PlanFixture.node().packageName)/models")
        for index in 0..<3 {
            let file = run.appendingPathComponent(
                "shared/_models.yml/\(nodes["model.shop.m\(index)"].map { ($0.path as NSString).lastPathComponent } ?? "?")"
            )
            #expect(try String(contentsOf: file, encoding: .utf8) == "select \(index);\n")
        }
        #expect(try String(contentsOf: run.appendingPathComponent("f3/m10.sql"), encoding: .utf8) == "select 10;\n")
        let entries = FileManager.default.enumerator(atPath: run.path)!.compactMap { $0 as? String }
        let written = entries.filter { $0.contains(".") && !$0.hasSuffix(".yml") }
        #expect(written.count == 200)
        #expect(!written.contains { $0.contains(".tmp-") })
    }

    @Test func consoleLinesFollowDbt() {
        let lines = Lines()
        let reporter = ConsoleReporter(colors: false, showTimestamps: false) { lines.append($0) }
        let node = PlanFixture.node("gold_x", schema: "analytics_gold", config: ["materialized": "table"])
        reporter.nodeStarted(node, index: 12, total: 40)
        var result = NodeResult(uniqueId: node.uniqueId, status: .success, message: "SELECT 120", executionTime: 0.08)
        reporter.nodeFinished(node, result: result, index: 12, total: 40)
        result.status = .error
        reporter.nodeFinished(node, result: result, index: 12, total: 40)
        reporter.nodeSkipped(node, because: .failed("model.shop.base"), index: 13, total: 40)
        #expect(
            lines.lines[0] == "12 of 40 START table model analytics_gold.gold_x " + String(repeating: ".", count: 31)
                + " [RUN]")
        #expect(lines.lines[1].hasPrefix("12 of 40 OK created table model analytics_gold.gold_x ...."))
        #expect(lines.lines[1].hasSuffix(" [SELECT 120 in 0.08s]"))
        #expect(lines.lines[2].hasPrefix("12 of 40 ERROR creating table model analytics_gold.gold_x ..."))
        #expect(lines.lines[2].hasSuffix(" [ERROR in 0.08s]"))
        #expect(
            lines.lines[3].hasPrefix("13 of 40 SKIP relation analytics_gold.gold_x because model.shop.base failed ..."))
        #expect(
            lines.lines.allSatisfy {
                ConsoleReporter.visibleLength(String($0[..<$0.range(of: " [")!.lowerBound])) >= 80
            })
    }

    @Test func coloursDoNotChangePadding() {
        let lines = Lines()
        let reporter = ConsoleReporter(colors: true, showTimestamps: false) { lines.append($0) }
        let node = PlanFixture.node(config: ["materialized": "view"])
        reporter.nodeFinished(
            node, result: NodeResult(uniqueId: node.uniqueId, status: .success, message: "CREATE VIEW"), index: 1,
            total: 1)
        #expect(lines.lines[0].contains("\u{1B}[32mOK\u{1B}[0m"))
        let prefix = String(lines.lines[0][..<lines.lines[0].range(of: " [")!.lowerBound])
        #expect(ConsoleReporter.visibleLength(prefix) == 80)
    }

    @Test func summary() {
        let lines = Lines()
        let reporter = ConsoleReporter(colors: false, showTimestamps: false) { lines.append($0) }
        let nodes = Dictionary(
            uniqueKeysWithValues: ["orders", "customers", "report"].map { ("model.shop.\($0)", PlanFixture.node($0)) })
        reporter.runFinished(Self.results(), nodes: nodes, elapsed: 2.5)
        #expect(lines.lines.contains("Finished running 3 models in 2.50s."))
        #expect(lines.lines.contains("Completed with 1 error and 0 warnings:"))
        #expect(lines.lines.last == "Done. PASS=1 WARN=0 ERROR=1 SKIP=1 TOTAL=3")
    }
}
