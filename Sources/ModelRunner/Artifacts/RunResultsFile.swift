import Foundation
import ModelCompiler

/// `target/run_results.json` in dbt's format (schema v6).
public struct RunResultsFile: Codable, Sendable {
    public static let schemaVersion = "https://schemas.getdbt.com/dbt/run-results/v6.json"

    public struct Metadata: Codable, Sendable {
        public var dbtSchemaVersion: String
        public var dbtVersion: String
        public var generatedAt: String
        public var invocationId: String
        public var env: [String: String]
        enum CodingKeys: String, CodingKey {
            case env
            case dbtSchemaVersion = "dbt_schema_version"
            case dbtVersion = "dbt_version"
            case generatedAt = "generated_at"
            case invocationId = "invocation_id"
        }
    }

    public struct AdapterResponse: Codable, Sendable {
        public var message: String?
        public var code: String?
        public var rowsAffected: Int?
        enum CodingKeys: String, CodingKey {
            case message = "_message"
            case code
            case rowsAffected = "rows_affected"
        }
    }

    public struct Timing: Codable, Sendable {
        public var name: String
        public var startedAt: String
        public var completedAt: String
        enum CodingKeys: String, CodingKey {
            case name
            case startedAt = "started_at"
            case completedAt = "completed_at"
        }
    }

    public struct Result: Codable, Sendable {
        public var uniqueId: String
        public var status: NodeStatus
        public var timing: [Timing]
        public var threadId: String
        public var executionTime: Double
        public var adapterResponse: AdapterResponse
        public var message: String?
        public var failures: Int?
        public var relationName: String?
        public var compiled: Bool
        public var compiledCode: String?
        /// Always null: sqlt has no microbatch models.
        public var batchResults: JSONValue? = nil
        enum CodingKeys: String, CodingKey {
            case status, timing, message, failures, compiled
            case uniqueId = "unique_id"
            case threadId = "thread_id"
            case executionTime = "execution_time"
            case adapterResponse = "adapter_response"
            case relationName = "relation_name"
            case compiledCode = "compiled_code"
            case batchResults = "batch_results"
        }

        /// dbt's v6 schema requires `message`, `failures`, `compiled_code` and `relation_name`
        /// present (null when absent); `batch_results` is null (sqlt has no microbatch models).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(uniqueId, forKey: .uniqueId)
            try container.encode(status, forKey: .status)
            try container.encode(timing, forKey: .timing)
            try container.encode(threadId, forKey: .threadId)
            try container.encode(executionTime, forKey: .executionTime)
            try container.encode(adapterResponse, forKey: .adapterResponse)
            try container.encode(message, forKey: .message)
            try container.encode(failures, forKey: .failures)
            try container.encode(relationName, forKey: .relationName)
            try container.encode(compiled, forKey: .compiled)
            try container.encode(compiledCode, forKey: .compiledCode)
            try container.encodeNil(forKey: .batchResults)
        }
    }

    public var metadata: Metadata
    public var results: [Result]
    public var elapsedTime: Double
    public var args: [String: JSONValue]

    enum CodingKeys: String, CodingKey {
        case metadata, results, args
        case elapsedTime = "elapsed_time"
    }

    public init(metadata: Metadata, results: [Result], elapsedTime: Double, args: [String: JSONValue]) {
        self.metadata = metadata
        self.results = results
        self.elapsedTime = elapsedTime
        self.args = args
    }

    /// Builds the file from a run's results; `nodes` gives relation names and compiled code.
    public init(
        results: [NodeResult], nodes: [String: ManifestNode], invocationId: String, elapsedTime: Double,
        args: [String: JSONValue], generatedAt: Date = Date()
    ) {
        metadata = Metadata(
            dbtSchemaVersion: Self.schemaVersion, dbtVersion: SqltVersion.current,
            generatedAt: Self.timestamp(generatedAt),
            invocationId: invocationId, env: [:]
        )
        self.results = results.map { result in
            let node = nodes[result.uniqueId]
            let response: AdapterResponse
            if result.status == .skipped || result.status == .error {
                response = AdapterResponse(message: nil, code: nil, rowsAffected: nil)
            } else {
                response = AdapterResponse(
                    message: result.message, code: result.message.split(separator: " ").first.map(String.init),
                    rowsAffected: result.rowsAffected
                )
            }
            return Result(
                uniqueId: result.uniqueId, status: result.status,
                timing: result.timing.map {
                    Timing(
                        name: $0.name, startedAt: Self.timestamp($0.startedAt),
                        completedAt: Self.timestamp($0.completedAt))
                },
                threadId: result.threadId, executionTime: result.executionTime, adapterResponse: response,
                message: result.message, failures: result.failures,
                relationName: result.relation == nil ? nil : node?.relationName,
                compiled: result.status != .skipped, compiledCode: result.compiledSQL ?? node?.compiledCode
            )
        }
        self.elapsedTime = elapsedTime
        self.args = args
    }

    /// ISO 8601 with microseconds and `Z`, as dbt writes it.
    public static func timestamp(_ date: Date) -> String {
        UTCTimestamp.string(date, fractionDigits: 6)
    }

    /// Writes the file atomically (`AtomicFile`: secret values, a DBT_ENV_SECRET_* value or the
    /// password in a database message, masked).
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(try encoder.encode(self), toFile: url.path)
    }

    /// Reads a `run_results.json` (for `sqlt retry`).
    public static func read(from url: URL) throws -> RunResultsFile {
        try JSONDecoder().decode(RunResultsFile.self, from: Data(contentsOf: url))
    }

    /// The unique ids `sqlt retry` runs again: errors, skips and failed tests.
    public var retryIds: Set<String> {
        Set(results.filter { [.error, .skipped, .fail].contains($0.status) }.map(\.uniqueId))
    }
}
