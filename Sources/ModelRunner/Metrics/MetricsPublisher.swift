import Foundation
import ModelCompiler

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Where a run's metrics go: a node-exporter textfile (written atomically, so the collector never
/// reads half a file) and a Prometheus Pushgateway (the way Prometheus advises for batch jobs).
public struct MetricsPublisher: Sendable {
    /// `--metrics-file`: the textfile collector's `*.prom` file.
    public var file: String?
    /// `--pushgateway` or `SQLT_PUSHGATEWAY_URL`: the gateway's base URL.
    public var pushgateway: URL?

    public init(file: String?, pushgateway: URL?) {
        self.file = file
        self.pushgateway = pushgateway
    }

    public var isEnabled: Bool { file != nil || pushgateway != nil }

    /// Writes and pushes; returns the problems (a monitoring failure is reported, it does not
    /// change the run's exit code).
    public func publish(_ metrics: RunMetrics) -> [String] {
        var problems: [String] = []
        if let file {
            var metrics = metrics
            // node-exporter replaces the whole file: a failed run keeps the previous success time.
            if !metrics.succeeded, metrics.previousSuccess == nil {
                metrics.previousSuccess = Self.lastSuccess(inTextfile: file)
            }
            do {
                try AtomicFile.write(Array(metrics.exposition(withGroupingLabels: true).utf8), toFile: file)
            } catch {
                problems.append("metrics: cannot write \(file): \(error.localizedDescription)")
            }
        }
        if let pushgateway, let problem = Self.push(metrics, to: pushgateway) { problems.append(problem) }
        return problems
    }

    /// `sqlt_last_success_timestamp_seconds` of an existing textfile.
    static func lastSuccess(inTextfile path: String) -> Double? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n")
        where line.hasPrefix("sqlt_last_success_timestamp_seconds") {
            if let value = line.split(separator: " ").last.flatMap({ Double($0) }) { return value }
        }
        return nil
    }

    /// `/metrics/job/sqlt/project/<p>/target/<t>/command/<c>`; a value with a `/` (or empty) is
    /// written `label@base64/<base64url>` as the Pushgateway's API asks.
    public static func groupingPath(_ metrics: RunMetrics) -> String {
        var path = "/metrics/job/sqlt"
        for (label, value) in [("project", metrics.project), ("target", metrics.target), ("command", metrics.command)] {
            if value.isEmpty || value.contains("/") {
                let encoded = Data(value.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                    .replacingOccurrences(of: "/", with: "_")
                path += "/\(label)@base64/\(encoded.isEmpty ? "=" : encoded)"
            } else {
                let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))
                path += "/\(label)/\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
            }
        }
        return path
    }

    /// A successful run replaces its group (`PUT`), so nodes that no longer exist disappear; a
    /// failed one `POST`s, which replaces only the metrics it sends, so the group keeps the
    /// `sqlt_last_success_timestamp_seconds` of the last success. Nil when the gateway accepted it.
    static func push(_ metrics: RunMetrics, to base: URL) -> String? {
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        guard let url = URL(string: text + groupingPath(metrics)) else { return "metrics: bad Pushgateway URL \(base)" }
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = metrics.succeeded ? "PUT" : "POST"
        request.setValue("text/plain; version=0.0.4", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(
            SecretEnvVars.scrubbed(bytes: Array(metrics.exposition(withGroupingLabels: false).utf8)))
        let done = DispatchSemaphore(value: 0)
        let outcome = PushOutcome()
        URLSession.shared.dataTask(with: request) { body, response, error in
            if let error {
                outcome.set(error.localizedDescription)
            } else if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
                let detail = body.map { String(decoding: $0, as: UTF8.self) } ?? ""
                outcome.set("HTTP \(http.statusCode) \(detail.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
            done.signal()
        }.resume()
        done.wait()
        return outcome.get().map { "metrics: could not push to \(url.absoluteString): \($0)" }
    }
}

/// The result of one push, set from URLSession's callback.
private final class PushOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var problem: String?
    func set(_ value: String) { lock.withLock { problem = value } }
    func get() -> String? { lock.withLock { problem } }
}
