import Foundation
import ModelCompiler

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Posts text to a Slack incoming webhook (`{"text": ...}` as JSON), in messages of at most
/// `linesPerMessage` lines so a busy day stays under Slack's message size.
public struct SlackWebhook: Sendable {
    public var url: URL
    public var linesPerMessage: Int

    public init(url: URL, linesPerMessage: Int = 50) {
        self.url = url
        self.linesPerMessage = max(1, linesPerMessage)
    }

    /// The JSON bodies for `lines`, with `title` heading each message; none for no line.
    public func payloads(_ lines: [String], title: String?) -> [Data] {
        guard !lines.isEmpty else { return [] }
        var bodies: [Data] = []
        var start = 0
        while start < lines.count {
            let chunk = lines[start..<min(start + linesPerMessage, lines.count)]
            let text = ((title.map { [$0] } ?? []) + chunk).joined(separator: "\n")
            // JSONSerialization escapes the text; sorted keys keep the body stable.
            if let body = try? JSONSerialization.data(withJSONObject: ["text": text], options: [.sortedKeys]) {
                bodies.append(body)
            }
            start += linesPerMessage
        }
        return bodies
    }

    /// Posts each body in order; stops at the first one Slack refuses.
    public func post(_ bodies: [Data]) throws(SlackError) {
        for body in bodies {
            var request = URLRequest(url: url, timeoutInterval: 15)
            request.httpMethod = "POST"
            request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(SecretEnvVars.scrubbed(bytes: Array(body)))
            let done = DispatchSemaphore(value: 0)
            let outcome = SlackOutcome()
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error {
                    outcome.set(error.localizedDescription)
                } else if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
                    let detail = data.map { String(decoding: $0, as: UTF8.self) } ?? ""
                    outcome.set("HTTP \(http.statusCode) \(detail.trimmingCharacters(in: .whitespacesAndNewlines))")
                }
                done.signal()
            }.resume()
            done.wait()
            if let problem = outcome.get() {
                throw SlackError(message: "slack: the webhook refused the message: \(problem)")
            }
        }
    }
}

public struct SlackError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// The result of one POST, set from URLSession's callback.
private final class SlackOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var problem: String?
    func set(_ value: String) { lock.withLock { problem = value } }
    func get() -> String? { lock.withLock { problem } }
}
