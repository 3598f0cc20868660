import Foundation
import ModelCompiler

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Writes OpenLineage events as JSON files under `target/lineage/` and, when a URL is configured
/// (`OPENLINEAGE_URL`), POSTs each to `<url>/api/v1/lineage` in order; a failed POST is a warning only.
public final class OpenLineageEmitter: @unchecked Sendable {
    public let folder: URL
    public let endpoint: URL?
    private let warn: @Sendable (String) -> Void
    private let queue = DispatchQueue(label: "sqlt.openlineage.post")
    private let lock = NSLock()
    private var sequence = 0
    private var postFailures = 0

    /// - Parameters:
    ///   - folder: where event files go (`target/lineage`); earlier `.json` event files there are removed.
    ///   - baseURL: the OpenLineage server (`$OPENLINEAGE_URL`), nil to only write files.
    public init(folder: URL, baseURL: URL?, warn: @escaping @Sendable (String) -> Void) throws {
        self.folder = folder
        self.endpoint = baseURL.map { $0.appendingPathComponent("api/v1/lineage") }
        self.warn = warn
        let manager = FileManager.default
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasSuffix(".json") {
            try? manager.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// The configuration from the environment: `OPENLINEAGE_URL` (and `OPENLINEAGE_DISABLED=true` to turn posting off).
    public static func baseURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        guard environment["OPENLINEAGE_DISABLED"]?.lowercased() != "true",
            let text = environment["OPENLINEAGE_URL"], !text.isEmpty
        else { return nil }
        return URL(string: text)
    }

    static func encode(_ event: JSONValue) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return try encoder.encode(event)
    }

    /// Writes the event file `NNNN-<job>-<type>.json` and queues the POST; returns the file.
    @discardableResult
    public func emit(_ event: JSONValue, job: String, type: String) -> URL? {
        let number = lock.withLock {
            sequence += 1
            return sequence
        }
        let data: Data
        do { data = try Self.encode(event) } catch {
            warn("openlineage: cannot encode the \(type) event of \(job): \(error)")
            return nil
        }
        let file = folder.appendingPathComponent(String(format: "%04d", number) + "-\(job)-\(type.lowercased()).json")
        do { try data.write(to: file, options: .atomic) } catch {
            warn("openlineage: cannot write \(file.path): \(error.localizedDescription)")
        }
        if let endpoint {
            queue.async { self.post(data, to: endpoint, job: job, type: type) }
        }
        return file
    }

    /// Waits until every queued POST is done.
    public func flush() {
        queue.sync {}
    }

    /// Number of POSTs that failed so far.
    public var failures: Int { lock.withLock { postFailures } }

    private func post(_ body: Data, to endpoint: URL, job: String, type: String) {
        var request = URLRequest(url: endpoint, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        let done = DispatchSemaphore(value: 0)
        let outcome = PostOutcome()
        let task = URLSession.shared.dataTask(with: request) { _, response, error in
            if let error {
                outcome.set(error.localizedDescription)
            } else if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
                outcome.set("HTTP \(http.statusCode)")
            }
            done.signal()
        }
        task.resume()
        done.wait()
        if let problem = outcome.get() {
            lock.withLock { postFailures += 1 }
            warn("openlineage: could not send the \(type) event of \(job) to \(endpoint.absoluteString): \(problem)")
        }
    }
}

/// The result of one POST, set from URLSession's callback.
private final class PostOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var problem: String?
    func set(_ value: String) { lock.withLock { problem = value } }
    func get() -> String? { lock.withLock { problem } }
}
