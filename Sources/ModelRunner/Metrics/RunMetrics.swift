import Foundation
import ModelCompiler
import Prometheus

/// The Prometheus metrics of one `sqlt` invocation (a batch job): per node duration, status and
/// rows affected, per test failures, the run's duration, exit code and counts by status, and the
/// time of the last success. Rendered in the text exposition format by swift-prometheus.
public struct RunMetrics: Sendable {
    /// One node's result, as the metrics see it.
    public struct Node: Sendable, Equatable {
        public var uniqueId: String
        public var resourceType: String
        public var status: String
        public var durationSeconds: Double
        public var rowsAffected: Int?
        public var failures: Int?

        public init(
            uniqueId: String, resourceType: String, status: String, durationSeconds: Double, rowsAffected: Int? = nil,
            failures: Int? = nil
        ) {
            self.uniqueId = uniqueId
            self.resourceType = resourceType
            self.status = status
            self.durationSeconds = durationSeconds
            self.rowsAffected = rowsAffected
            self.failures = failures
        }
    }

    /// `project`, `target` and `command`: on every series of the textfile, and the Pushgateway's
    /// grouping key when pushed.
    public var project: String
    public var target: String
    public var command: String
    public var nodes: [Node]
    public var durationSeconds: Double
    /// The process's exit code: 0 success, 1 a node failed, 2 configuration error, 130 cancelled.
    public var exitCode: Int32
    /// When the invocation finished.
    public var finishedAt: Date
    /// The last successful run's time from before this one (kept when this one failed).
    public var previousSuccess: Double?

    public init(
        project: String, target: String, command: String, nodes: [Node], durationSeconds: Double, exitCode: Int32,
        finishedAt: Date = Date(), previousSuccess: Double? = nil
    ) {
        self.project = project
        self.target = target
        self.command = command
        self.nodes = nodes
        self.durationSeconds = durationSeconds
        self.exitCode = exitCode
        self.finishedAt = finishedAt
        self.previousSuccess = previousSuccess
    }

    /// The metrics of a finished run, from its results and the manifest's resource types.
    public init(
        outcome: RunOutcome, manifest: Manifest, project: String, target: String, command: String, exitCode: Int32,
        durationSeconds: Double, finishedAt: Date = Date()
    ) {
        let nodes = outcome.results.map { result in
            Node(
                uniqueId: result.uniqueId,
                resourceType: manifest.nodes[result.uniqueId]?.resourceType.rawValue ?? "unknown",
                status: result.status.rawValue, durationSeconds: result.executionTime,
                rowsAffected: result.rowsAffected,
                failures: result.failures)
        }
        self.init(
            project: project, target: target, command: command, nodes: nodes, durationSeconds: durationSeconds,
            exitCode: exitCode, finishedAt: finishedAt)
    }

    public var succeeded: Bool { exitCode == 0 }

    /// Every status a node can have, so counts are reported as 0 rather than missing.
    static let statuses = ["success", "error", "skipped", "pass", "fail", "warn"]

    /// The text exposition format. `withGroupingLabels` adds `project`, `target` and `command`
    /// to every series (the textfile); a push leaves them to the grouping key.
    public func exposition(withGroupingLabels: Bool) -> String {
        let registry = PrometheusCollectorRegistry()
        let common: [(String, String)] =
            withGroupingLabels ? [("project", project), ("target", target), ("command", command)] : []
        for node in nodes {
            let labels = common + [("node", node.uniqueId), ("resource_type", node.resourceType)]
            registry.makeGauge(
                name: "sqlt_node_duration_seconds", labels: labels, help: "Seconds a node took to build or test."
            ).set(node.durationSeconds)
            for status in Self.statuses {
                registry.makeGauge(
                    name: "sqlt_node_status", labels: labels + [("status", status)],
                    help: "1 for the status a node ended with in the last run, 0 for the others."
                ).set(node.status == status ? 1.0 : 0.0)
            }
            if let rows = node.rowsAffected {
                registry.makeGauge(
                    name: "sqlt_node_rows_affected", labels: labels, help: "Rows a model or seed wrote in the last run."
                ).set(Double(rows))
            }
            if node.resourceType == "test" || node.resourceType == "unit_test" {
                registry.makeGauge(
                    name: "sqlt_test_failures", labels: labels, help: "Failing rows a data test found in the last run."
                ).set(Double(node.failures ?? 0))
            }
        }
        for status in Self.statuses {
            registry.makeGauge(
                name: "sqlt_run_nodes", labels: common + [("status", status)], help: "Nodes of the last run by status."
            ).set(Double(nodes.filter { $0.status == status }.count))
        }
        registry.makeGauge(name: "sqlt_run_duration_seconds", labels: common, help: "Seconds the last invocation took.")
            .set(durationSeconds)
        registry.makeGauge(
            name: "sqlt_run_exit_code", labels: common,
            help: "Exit code of the last invocation (0 success, 1 failed node, 2 configuration error)."
        ).set(Double(exitCode))
        registry.makeGauge(name: "sqlt_run_success", labels: common, help: "1 when the last invocation succeeded.")
            .set(succeeded ? 1.0 : 0.0)
        registry.makeGauge(
            name: "sqlt_last_run_timestamp_seconds", labels: common, help: "Unix time the last invocation finished."
        ).set(finishedAt.timeIntervalSince1970)
        if let lastSuccess = succeeded ? finishedAt.timeIntervalSince1970 : previousSuccess {
            registry.makeGauge(
                name: "sqlt_last_success_timestamp_seconds", labels: common,
                help: "Unix time of the last successful invocation."
            ).set(lastSuccess)
        }
        return registry.emitToString()
    }
}
