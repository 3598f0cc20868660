import Foundation
import ModelCompiler

#if canImport(Glibc)
    import Glibc
#endif

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Writes a run's OpenLineage events to `target/lineage/events.jsonl`, one compact JSON event per
/// line in order (as OpenLineage's file transport does), and, when a URL is configured
/// (`OPENLINEAGE_URL`), POSTs each to `<url>/api/v1/lineage` in order; a failed POST is a warning only.
/// One file rather than one per event: creating tens of thousands of files cost a third of a
/// 10,000-model run.
public final class OpenLineageEmitter: @unchecked Sendable {
    public let folder: URL
    /// `folder/events.jsonl`, rewritten by each run.
    public let file: URL
    public let endpoint: URL?
    private let warn: @Sendable (String) -> Void
    private let queue = DispatchQueue(label: "sqlt.openlineage.post")
    private let lock = NSLock()
    private let fd: Int32
    private var postFailures = 0

    /// - Parameters:
    ///   - folder: where the events file goes (`target/lineage`); the previous run's events there
    ///     (and `.json` event files of earlier sqlt versions) are removed.
    ///   - baseURL: the OpenLineage server (`$OPENLINEAGE_URL`), nil to only write the file.
    public init(folder: URL, baseURL: URL?, warn: @escaping @Sendable (String) -> Void) throws {
        self.folder = folder
        self.file = folder.appendingPathComponent("events.jsonl")
        self.endpoint = baseURL.map { $0.appendingPathComponent("api/v1/lineage") }
        self.warn = warn
        let manager = FileManager.default
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasSuffix(".json") {
            unlink(folder.path + "/" + name)
        }
        fd = open(file.path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: file.path]) }
    }

    deinit { close(fd) }

    /// The configuration from the environment: `OPENLINEAGE_URL` (and `OPENLINEAGE_DISABLED=true` to turn posting off).
    public static func baseURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        guard environment["OPENLINEAGE_DISABLED"]?.lowercased() != "true",
            let text = environment["OPENLINEAGE_URL"], !text.isEmpty
        else { return nil }
        return URL(string: text)
    }

    /// Compact JSON with sorted keys (one line, as OpenLineage's file transport writes events).
    static func encode(_ event: JSONValue) throws -> Data {
        try ManifestJSONWriter.encode(json: event)
    }

    /// Appends the event to the events file (one line) and queues the POST.
    public func emit(_ event: JSONValue, job: String, type: String) {
        let data: Data
        // Secret values masked in the file and the POST alike.
        do { data = Data(SecretEnvVars.scrubbed(bytes: Array(try Self.encode(event)))) } catch {
            warn("openlineage: cannot encode the \(type) event of \(job): \(error)")
            return
        }
        let line = Array(data) + [UInt8(ascii: "\n")]
        let written = lock.withLock {
            line.withUnsafeBytes { raw -> Bool in
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0, errno == EINTR { continue }
                    guard n > 0 else { return false }
                    offset += n
                }
                return true
            }
        }
        if !written { warn("openlineage: cannot write \(file.path): \(String(cString: strerror(errno)))") }
        if let endpoint {
            queue.async { self.post(data, to: endpoint, job: job, type: type) }
        }
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
