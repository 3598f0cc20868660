import Foundation
import ModelCompiler
import TestSupport
import Testing

@testable import ModelRunner

#if canImport(Glibc)
    import Glibc
#endif

/// `sqlt docs serve`'s HTTP server over a real socket, and the catalog read from a real database.
@Suite struct DocsServerAndCatalogTests {
    static func exchange(port: Int, _ request: String) throws -> String {
        try LoopbackHTTP.exchange(port: port, request)
    }

    @Test func serverAnswersGetHeadAndRefusesTheRest() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqlt-docs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("<!doctype html><p>docs</p>".utf8).write(to: folder.appendingPathComponent("index.html"))
        try Data("{}".utf8).write(to: folder.appendingPathComponent("data file.json"))

        let server = DocsHTTPServer(root: folder, port: 0)
        let port = try server.bind()
        #expect(port > 0)
        let thread = Thread { server.serve() }
        thread.start()
        defer { server.stop() }

        let index = try Self.exchange(port: port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(index.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(index.contains("Content-Type: text/html; charset=utf-8\r\n"))
        #expect(index.contains("Content-Length: 26\r\n"))
        #expect(index.hasSuffix("<!doctype html><p>docs</p>"))

        let json = try Self.exchange(port: port, "GET /data%20file.json?x=1 HTTP/1.1\r\n\r\n")
        #expect(json.hasPrefix("HTTP/1.1 200 OK") && json.contains("application/json") && json.hasSuffix("\r\n\r\n{}"))

        let head = try Self.exchange(port: port, "HEAD /index.html HTTP/1.1\r\n\r\n")
        #expect(head.hasPrefix("HTTP/1.1 200 OK") && head.hasSuffix("\r\n\r\n"))

        #expect(try Self.exchange(port: port, "GET /../../etc/passwd HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 404"))
        #expect(
            try Self.exchange(port: port, "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 404"))
        #expect(try Self.exchange(port: port, "GET /missing.html HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 404"))
        #expect(try Self.exchange(port: port, "POST / HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 405"))
        #expect(try Self.exchange(port: port, "nonsense\r\n\r\n").hasPrefix("HTTP/1.1 400"))
    }

    @Test func catalogReadsBuiltRelationsInDbtShape() async throws {
        try await TestDatabase.withSchema { connection, schema, _ in
            try connection.executeScript(
                """
                create table \(quoteIdentifier(schema)).people (id integer, name text, amount numeric(10,2));
                create view \(quoteIdentifier(schema)).people_view as select id, name from \(quoteIdentifier(schema)).people;
                """)
            func node(_ name: String) -> ManifestNode {
                ManifestNode(
                    uniqueId: "model.p.\(name)", resourceType: .model, name: name, packageName: "p",
                    path: "\(name).sql",
                    originalFilePath: "models/\(name).sql", fqn: ["p", name], schema: schema, alias: name,
                    relationName: "\"\(schema)\".\"\(name)\"", rawCode: "select 1")
            }
            let nodes = ["people", "people_view", "never_built"].map(node)
            let manifest = Manifest(
                metadata: ManifestMetadata(sqltVersion: "0", generatedAt: "now", invocationId: "i", projectName: "p"),
                nodes: Dictionary(uniqueKeysWithValues: nodes.map { ($0.uniqueId, $0) }))
            let catalog = try CatalogArtifact.read(
                manifest: manifest, session: connection, database: "db", generatedAt: "now", invocationId: "i")
            #expect(catalog.nodes.keys.sorted() == ["model.p.people", "model.p.people_view"])
            let people = try #require(catalog.nodes["model.p.people"])
            #expect(people.metadata.type == "BASE TABLE")
            #expect(people.orderedColumns.map(\.name) == ["id", "name", "amount"])
            #expect(people.orderedColumns.map(\.type) == ["integer", "text", "numeric(10,2)"])
            #expect(people.orderedColumns.map(\.index) == [1, 2, 3])
            #expect(catalog.nodes["model.p.people_view"]?.metadata.type == "VIEW")

            let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(catalog)) as? [String: Any]
            let metadata = encoded?["metadata"] as? [String: Any]
            #expect(metadata?["dbt_schema_version"] as? String == "https://schemas.getdbt.com/dbt/catalog/v1.json")
            let table = (encoded?["nodes"] as? [String: Any])?["model.p.people"] as? [String: Any]
            #expect(table?["unique_id"] as? String == "model.p.people")
            #expect(
                ((table?["columns"] as? [String: Any])?["amount"] as? [String: Any])?["type"] as? String
                    == "numeric(10,2)")
            #expect((table?["stats"] as? [String: Any])?["has_stats"] != nil)
        }
    }
}
