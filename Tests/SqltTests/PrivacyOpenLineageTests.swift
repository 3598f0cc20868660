import Foundation
import ModelCompiler
import ModelRunner
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// OpenLineage events of model runs: the event file's shape (spec 2-0-2, column lineage 1-2-0, the
/// `sqlt_pii` facet) and the POST to `$OPENLINEAGE_URL/api/v1/lineage` (a listener on 127.0.0.1).
@Suite(.serialized) struct PrivacyOpenLineageTests {
    static let files: [String: String] = [
        "sqlt_project.yml": """
        name: p
        profile: p
        vars:
          sqlt_masking_functions: [{name: pseudonymise, outputs: indirect}]
        models:
          p:
            +materialized: table
        """,
        "seeds/people.csv": "id,name,email,city\n1,Ann,a@x,Lyon\n",
        "seeds/_seeds.yml": """
        version: 2
        seeds:
          - name: people
            columns:
              - name: name
                meta: {pii: direct}
              - name: email
                meta: {pii: direct}
        """,
        "models/eph.sql":
            "{{ config(materialized='ephemeral') }}\nselect id, md5(email) as email_hash from {{ ref('people') }}",
        "models/mart.sql": """
        select p.id, pseudonymise(p.name) as display, e.email_hash, p.city
        from {{ ref('people') }} p join {{ ref('eph') }} e on e.id = p.id
        where p.city is not null
        """,
    ]

    struct Recorded: Sendable {
        let reporter: OpenLineageReporter
        let compiled: CompiledProject
        let folder: URL
    }

    static func reporter(baseURL: URL?) throws -> Recorded {
        let fs = InMemoryFileSystem(files)
        let compiled = try ProjectLoader.compile(
            fs: fs, options: CompileOptions(target: TargetInfo(schema: "analytics"), environment: [:]))
        let lineage = ProjectLineage.build(
            compiled: compiled, maskingFunctions: MaskingConfiguration.functions(for: compiled).functions,
            fileSystem: fs)
        let builder = OpenLineageEventBuilder(
            jobNamespace: "p", datasetNamespace: "postgres://localhost:5432", database: "db",
            invocationId: "00000000-0000-0000-0000-000000000001", projectName: "p", lineage: lineage)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqlt-ol-\(UUID().uuidString)")
        let emitter = try OpenLineageEmitter(folder: folder, baseURL: baseURL, warn: { _ in })
        let reporter = OpenLineageReporter(
            wrapping: ConsoleReporter(colors: false, showTimestamps: false, write: { _ in }), builder: builder,
            emitter: emitter)
        return Recorded(reporter: reporter, compiled: compiled, folder: folder)
    }

    static func runMart(_ recorded: Recorded, status: NodeStatus) throws -> [[String: Any]] {
        let node = try #require(recorded.compiled.manifest.nodes["model.p.mart"])
        recorded.reporter.nodeStarted(node, index: 1, total: 1)
        recorded.reporter.nodeFinished(
            node,
            result: NodeResult(
                uniqueId: node.uniqueId, status: status, message: status == .error ? "boom" : "SELECT 1"),
            index: 1, total: 1)
        recorded.reporter.runFinished([], nodes: recorded.compiled.manifest.nodes, elapsed: 0)
        // One file, one compact event per line, in order.
        #expect(try FileManager.default.contentsOfDirectory(atPath: recorded.folder.path) == ["events.jsonl"])
        let text = try String(contentsOf: recorded.folder.appendingPathComponent("events.jsonl"), encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        return try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func eventFileShape() throws {
        let recorded = try Self.reporter(baseURL: nil)
        defer { try? FileManager.default.removeItem(at: recorded.folder) }
        let events = try Self.runMart(recorded, status: .success)
        #expect(events.map { $0["eventType"] as? String } == ["START", "COMPLETE"])
        let complete = events[1]
        #expect(
            complete["schemaURL"] as? String == "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent")
        #expect((complete["producer"] as? String)?.hasPrefix("https://") == true)
        #expect((complete["eventTime"] as? String)?.hasSuffix("Z") == true)
        let run = try #require(complete["run"] as? [String: Any])
        let runId = try #require(run["runId"] as? String)
        #expect(UUID(uuidString: runId) != nil)
        #expect((events[0]["run"] as? [String: Any])?["runId"] as? String == runId)
        let parent = (run["facets"] as? [String: Any])?["parent"] as? [String: Any]
        #expect((parent?["run"] as? [String: Any])?["runId"] as? String == "00000000-0000-0000-0000-000000000001")
        #expect(parent?["_schemaURL"] as? String != nil)
        let job = try #require(complete["job"] as? [String: Any])
        #expect(job["namespace"] as? String == "p")
        #expect(job["name"] as? String == "p.mart")
        let sql = ((job["facets"] as? [String: Any])?["sql"] as? [String: Any])?["query"] as? String
        #expect(sql?.contains("pseudonymise(p.name)") == true)

        let inputs = try #require(complete["inputs"] as? [[String: Any]])
        #expect(inputs.map { $0["name"] as? String } == ["db.analytics.people"])
        let inputSchema =
            ((inputs[0]["facets"] as? [String: Any])?["schema"] as? [String: Any])?["fields"] as? [[String: Any]]
        #expect(inputSchema?.compactMap { $0["name"] as? String } == ["id", "name", "email", "city"])

        let output = try #require((complete["outputs"] as? [[String: Any]])?.first)
        #expect(output["namespace"] as? String == "postgres://localhost:5432")
        #expect(output["name"] as? String == "db.analytics.mart")
        let facets = try #require(output["facets"] as? [String: Any])
        let columnLineage = try #require(facets["columnLineage"] as? [String: Any])
        #expect(
            columnLineage["_schemaURL"] as? String
                == "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet"
        )
        let fields = try #require(columnLineage["fields"] as? [String: Any])
        let display = try #require((fields["display"] as? [String: Any])?["inputFields"] as? [[String: Any]])
        let name = try #require(display.first { $0["field"] as? String == "name" })
        #expect(name["name"] as? String == "db.analytics.people")
        let transformation = try #require((name["transformations"] as? [[String: Any]])?.first)
        #expect(transformation["type"] as? String == "DIRECT")
        #expect(transformation["subtype"] as? String == "TRANSFORMATION")
        #expect(transformation["masking"] as? Bool == true)
        #expect((transformation["description"] as? String)?.contains("pseudonymise") == true)
        // Through the ephemeral model, to the seed's email column, masked by md5.
        let hash = try #require((fields["email_hash"] as? [String: Any])?["inputFields"] as? [[String: Any]])
        let email = try #require(hash.first { $0["field"] as? String == "email" })
        #expect(email["name"] as? String == "db.analytics.people")
        #expect((email["transformations"] as? [[String: Any]])?.first?["masking"] as? Bool == true)
        let city = try #require((fields["city"] as? [String: Any])?["inputFields"] as? [[String: Any]])
        #expect(
            city.contains {
                ($0["transformations"] as? [[String: Any]])?.contains { $0["subtype"] as? String == "FILTER" } == true
            })

        let pii = try #require((facets["sqlt_pii"] as? [String: Any])?["fields"] as? [String: Any])
        #expect((pii["display"] as? [String: Any])?["class"] as? String == "indirect")
        #expect((pii["email_hash"] as? [String: Any])?["class"] as? String == "none")
        #expect((pii["display"] as? [String: Any])?["sources"] as? [String] == ["seed.p.people.name"])
        #expect(facets["schema"] != nil)
    }

    @Test func failedRunEmitsFail() throws {
        let recorded = try Self.reporter(baseURL: nil)
        defer { try? FileManager.default.removeItem(at: recorded.folder) }
        let events = try Self.runMart(recorded, status: .error)
        #expect(events.map { $0["eventType"] as? String } == ["START", "FAIL"])
        let facets = (events[1]["run"] as? [String: Any])?["facets"] as? [String: Any]
        #expect((facets?["errorMessage"] as? [String: Any])?["message"] as? String == "boom")
    }

    @Test func eventsArePostedToTheServer() throws {
        let listener = try LineageListener()
        defer { listener.stop() }
        let recorded = try Self.reporter(baseURL: URL(string: "http://127.0.0.1:\(listener.port)"))
        defer { try? FileManager.default.removeItem(at: recorded.folder) }
        _ = try Self.runMart(recorded, status: .success)
        #expect(recorded.reporter.emitter.failures == 0)
        let requests = listener.requests
        #expect(requests.count == 2)
        #expect(requests.allSatisfy { $0.method == "POST" && $0.path == "/api/v1/lineage" })
        let types = requests.compactMap {
            (try? JSONSerialization.jsonObject(with: $0.body) as? [String: Any])?["eventType"] as? String
        }
        #expect(types == ["START", "COMPLETE"])
    }

    @Test func unreachableServerIsOnlyAWarning() throws {
        let closed = try LineageListener(serving: false)
        let port = closed.port
        closed.stop()
        let recorded = try Self.reporter(baseURL: URL(string: "http://127.0.0.1:\(port)"))
        defer { try? FileManager.default.removeItem(at: recorded.folder) }
        let events = try Self.runMart(recorded, status: .success)
        #expect(events.count == 2)
        #expect(recorded.reporter.emitter.failures == 2)
    }
}

/// A minimal HTTP/1.1 server on 127.0.0.1 (an ephemeral port) that records requests and answers 200.
final class LineageListener: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        var body: Data
    }

    let port: Int
    private let socketFD: Int32
    private let lock = NSLock()
    private var recorded: [Request] = []
    private var thread: Thread?

    var requests: [Request] { lock.withLock { recorded } }

    /// Listens on an ephemeral port of 127.0.0.1; `serving: false` only reserves the port (for `stop()`).
    init(serving: Bool = true) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        socketFD = fd
        port = Int(UInt16(bigEndian: actual.sin_port))
        guard serving else { return }
        let thread = Thread { [self] in self.serve() }
        self.thread = thread
        thread.start()
    }

    /// Stops listening; the serving thread closes the socket itself, so its number is never reused under it.
    func stop() {
        if thread == nil {
            close(socketFD)
        } else {
            shutdown(socketFD, Int32(SHUT_RDWR))
        }
    }

    private func serve() {
        while true {
            let client = accept(socketFD, nil, nil)
            guard client >= 0 else {
                close(socketFD)
                return
            }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        var expected: Int?
        var headerEnd: Int?
        while true {
            let count = read(client, &buffer, buffer.count)
            if count <= 0 { break }
            data.append(contentsOf: buffer[0..<count])
            if headerEnd == nil, let range = data.range(of: Data("\r\n\r\n".utf8)) {
                headerEnd = range.upperBound
                let head = String(decoding: data[..<range.lowerBound], as: UTF8.self)
                for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                    expected = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces))
                }
            }
            if let headerEnd, data.count - headerEnd >= (expected ?? 0) { break }
        }
        guard let headerEnd else { return }
        let head = String(decoding: data[..<headerEnd], as: UTF8.self)
        let requestLine = head.split(separator: "\r\n").first?.split(separator: " ") ?? []
        let request = Request(
            method: requestLine.first.map(String.init) ?? "", path: requestLine.count > 1 ? String(requestLine[1]) : "",
            body: Data(data[headerEnd...]))
        lock.withLock { recorded.append(request) }
        let response = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        _ = response.withCString { write(client, $0, strlen($0)) }
    }
}
