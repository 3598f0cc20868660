import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// `--metrics-file` and `--pushgateway` through the binary: the textfile, and what a real
/// Pushgateway holds after a successful run, a failed data test and a configuration error.
@Suite(.serialized) struct MetricsTests {
    static let files: [String: String] = [
        "sqlt_project.yml": "name: shop\nprofile: shop\n",
        "seeds/orders.csv": "id,amount\n1,10\n2,7\n",
        "models/orders_clean.sql": "{{ config(materialized='table') }}\nselect id, amount from {{ ref('orders') }}",
        "models/schema.yml": """
        version: 2
        models:
          - name: orders_clean
            columns:
              - name: amount
                data_tests: [not_null]
        """,
    ]

    static func project() throws -> URL {
        try TemporaryProject.write(files, prefix: "metrics")
    }

    /// The value of the sample `name` whose labels include `labels`, from an exposition text.
    static func sample(_ text: String, _ name: String, _ labels: [String: String] = [:]) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + "{") || line.hasPrefix(name + " ") {
            var found: [String: String] = [:]
            if let open = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}") {
                for pair in line[line.index(after: open)..<close].split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else { continue }
                    found[String(parts[0])] = String(parts[1].dropFirst().dropLast())
                }
            }
            guard labels.allSatisfy({ found[$0.key] == $0.value }) else { continue }
            return line.split(separator: " ").last.flatMap { Double($0) }
        }
        return nil
    }

    @Test func textfileAndPushgatewayFollowSuccessFailureAndConfigurationErrors() async throws {
        guard let gateway = try PushgatewayServer.start() else {
            Issue.record("prometheus-pushgateway is not installed: run scripts/install_deps.sh")
            return
        }
        defer { gateway.stop() }
        try await TestDatabase.withSchema { _, _, settings in
            let project = try Self.project()
            defer { try? FileManager.default.removeItem(at: project) }
            let file = project.appendingPathComponent("sqlt.prom").path
            let base = ["--project-dir", project.path, "--database-url", settings.url(), "--metrics-file", file]

            // 1. Success: PUT to the group, textfile written.
            let first = try SqltProcess.run(["build"] + base, environment: ["SQLT_PUSHGATEWAY_URL": gateway.url])
            #expect(first.exitCode == 0, "\(first.stdout)\(first.stderr)")
            let textfile = try String(contentsOfFile: file, encoding: .utf8)
            let group = ["project": "shop", "command": "build"]
            #expect(Self.sample(textfile, "sqlt_run_success", group) == 1)
            #expect(Self.sample(textfile, "sqlt_run_nodes", group.merging(["status": "success"]) { $1 }) == 2)
            #expect(Self.sample(textfile, "sqlt_run_nodes", group.merging(["status": "pass"]) { $1 }) == 1)
            #expect(Self.sample(textfile, "sqlt_node_rows_affected", ["node": "seed.shop.orders"]) == 2)
            #expect(Self.sample(textfile, "sqlt_node_rows_affected", ["node": "model.shop.orders_clean"]) == 2)
            #expect(
                Self.sample(textfile, "sqlt_node_status", ["node": "model.shop.orders_clean", "status": "success"]) == 1
            )
            #expect(
                Self.sample(textfile, "sqlt_node_status", ["node": "model.shop.orders_clean", "status": "error"]) == 0)
            #expect(
                (Self.sample(textfile, "sqlt_node_duration_seconds", ["node": "model.shop.orders_clean"]) ?? -1) >= 0)
            let firstSuccess = try #require(Self.sample(textfile, "sqlt_last_success_timestamp_seconds", group))
            #expect(abs(firstSuccess - Date().timeIntervalSince1970) < 600)
            #expect(!FileManager.default.fileExists(atPath: file + ".tmp"))

            let pushed = try gateway.metrics()
            let pushedGroup = ["job": "sqlt", "project": "shop", "command": "build"]
            #expect(Self.sample(pushed, "sqlt_run_success", pushedGroup) == 1, "\(pushed)")
            #expect(
                Self.sample(pushed, "sqlt_test_failures", pushedGroup.merging(["resource_type": "test"]) { $1 }) == 0)
            #expect(Self.sample(pushed, "sqlt_last_success_timestamp_seconds", pushedGroup) == firstSuccess)

            // 2. A failing data test: exit 1, failures counted, the last success time kept in both.
            try "id,amount\n1,10\n2,\n3,\n".write(
                to: project.appendingPathComponent("seeds/orders.csv"), atomically: true, encoding: .utf8)
            let failed = try SqltProcess.run(["build", "--pushgateway", gateway.url] + base)
            #expect(failed.exitCode == 1, "\(failed.stdout)\(failed.stderr)")
            let afterFailure = try String(contentsOfFile: file, encoding: .utf8)
            #expect(Self.sample(afterFailure, "sqlt_run_success", group) == 0)
            #expect(Self.sample(afterFailure, "sqlt_run_exit_code", group) == 1)
            #expect(Self.sample(afterFailure, "sqlt_test_failures", ["resource_type": "test"]) == 2)
            #expect(Self.sample(afterFailure, "sqlt_run_nodes", group.merging(["status": "fail"]) { $1 }) == 1)
            #expect(Self.sample(afterFailure, "sqlt_last_success_timestamp_seconds", group) == firstSuccess)
            let pushedFailure = try gateway.metrics()
            #expect(Self.sample(pushedFailure, "sqlt_run_success", pushedGroup) == 0)
            #expect(
                Self.sample(pushedFailure, "sqlt_test_failures", pushedGroup.merging(["resource_type": "test"]) { $1 })
                    == 2)
            #expect(Self.sample(pushedFailure, "sqlt_last_success_timestamp_seconds", pushedGroup) == firstSuccess)

            // 3. A configuration error: exit 2, still reported.
            try "select * from {{ ref('no_such_model') }}".write(
                to: project.appendingPathComponent("models/broken.sql"), atomically: true, encoding: .utf8)
            let broken = try SqltProcess.run(["build", "--pushgateway", gateway.url] + base)
            #expect(broken.exitCode == 2)
            let afterError = try String(contentsOfFile: file, encoding: .utf8)
            #expect(Self.sample(afterError, "sqlt_run_exit_code", group) == 2)
            #expect(Self.sample(afterError, "sqlt_last_success_timestamp_seconds", group) == firstSuccess)
            #expect(Self.sample(try gateway.metrics(), "sqlt_run_exit_code", pushedGroup) == 2)
        }
    }

    @Test func anUnreachableGatewayWarnsWithoutFailingTheRun() async throws {
        try await TestDatabase.withSchema { _, _, settings in
            let project = try Self.project()
            defer { try? FileManager.default.removeItem(at: project) }
            let port = try PushgatewayServer.freePort()  // nothing listens there
            let result = try SqltProcess.run([
                "seed", "--project-dir", project.path, "--database-url", settings.url(), "--pushgateway",
                "http://127.0.0.1:\(port)",
            ])
            #expect(result.exitCode == 0)
            #expect(
                result.stderr.contains(
                    "warning: metrics: could not push to http://127.0.0.1:\(port)/metrics/job/sqlt/project/shop/"))
            let bad = try SqltProcess.run(["seed", "--project-dir", project.path, "--pushgateway", "not a url"])
            #expect(bad.exitCode == 2)
            #expect(bad.stderr.contains("--pushgateway must be an http(s) URL"))
        }
    }

    @Test func theGrafanaDashboardQueriesOnlyMetricsSqltWrites() throws {
        let dashboard = try String(
            contentsOf: FlagshipProject.root.appendingPathComponent("orchestration/grafana/sqlt-dashboard.json"),
            encoding: .utf8)
        let node = RunMetrics.Node(
            uniqueId: "test.p.t", resourceType: "test", status: "fail", durationSeconds: 1, rowsAffected: 3, failures: 2
        )
        let exposition = RunMetrics(
            project: "p", target: "t", command: "build", nodes: [node], durationSeconds: 1, exitCode: 1,
            previousSuccess: 5
        )
        .exposition(withGroupingLabels: true)
        let written = Set(
            exposition.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap {
                $0.split(separator: "{").first.map(String.init)
            })
        var queried = Set<String>()
        var rest = Substring(dashboard)
        while let range = rest.range(of: "sqlt_") {
            let name = rest[range.lowerBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            queried.insert(String(name))
            rest = rest[range.upperBound...]
        }
        queried.remove("sqlt_")
        #expect(!queried.isEmpty)
        #expect(queried.subtracting(written).isEmpty, "queried but never written: \(queried.subtracting(written))")
        #expect(written.contains("sqlt_last_success_timestamp_seconds"))
    }

    @Test func groupingPathEncodesValuesThePushgatewayWay() {
        let metrics = RunMetrics(
            project: "shop", target: "prod/eu", command: "build", nodes: [], durationSeconds: 1, exitCode: 0)
        #expect(
            MetricsPublisher.groupingPath(metrics)
                == "/metrics/job/sqlt/project/shop/target@base64/cHJvZC9ldQ==/command/build")
    }
}
