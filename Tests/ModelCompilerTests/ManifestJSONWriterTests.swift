import Foundation
import Testing

@testable import ModelCompiler

/// `ManifestJSONWriter` must write exactly what `JSONEncoder` (sorted keys, unescaped slashes) writes.
@Suite struct ManifestJSONWriterTests {
    static func foundationJSON(_ manifest: Manifest) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(manifest)
    }

    static var awkward: String {
        var text = ""
        for c in 0..<0x20 { text.unicodeScalars.append(Unicode.Scalar(UInt8(c))) }
        return text + "\"quoted\" back\\slash a/b é 😀 \u{7f} \u{2028}"
    }

    static func node(_ name: String, full: Bool) -> ManifestNode {
        ManifestNode(
            uniqueId: "model.p.\(name)", resourceType: full ? .test : .model, name: name, packageName: "p",
            path: "staging/\(name).sql", originalFilePath: "models/staging/\(name).sql", fqn: ["p", "staging", name],
            database: full ? "db" : nil, schema: "analytics", alias: name,
            relationName: full ? "\"analytics\".\"\(name)\"" : nil,
            rawCode: "select 1 -- \(awkward)", compiledCode: full ? "select 1\n\twhere a = 'x'" : nil,
            config: [
                "materialized": "view", "tags": .array(["a", "b"]), "n": .int(-3), "ratio": .double(0.1),
                "big": .double(1e20), "whole": .double(2), "on": .bool(true), "none": .null,
                "nested": .object(["a10": 1, "a2": 2, "B": 3, "_x": 4, "a_b": 5, "ab": 6, "é": 7]),
                "empty": .object([:]),
            ],
            tags: ["x"], description: full ? awkward : "", meta: full ? ["owner": "me"] : [:],
            columns: full
                ? [
                    "id": ColumnInfo(
                        name: "id", description: "key", meta: ["pii": "none"], dataType: "int", tags: ["t"],
                        quote: true, index: 0),
                    "amount": ColumnInfo(name: "amount", index: 1),
                ]
                : [:],
            dependsOn: DependsOn(nodes: ["model.p.a", "source.p.s.t"], macros: full ? ["macro.p.m"] : []),
            refs: [RefCall(name: "a"), RefCall(name: "b", package: "p", version: "2")], sources: [["s", "t"]],
            checksum: FileChecksum(checksum: "abc"), patchPath: full ? "models/staging/_models.yml" : nil,
            testMetadata: full
                ? TestMetadata(name: "accepted_values", kwargs: ["values": .array(["a", 1, 2.5])], namespace: "dbt")
                : nil,
            columnName: full ? "id" : nil, attachedNode: full ? "model.p.a" : nil,
            declaredAt: full ? SourceLocation(file: "models/_models.yml", line: 3, column: 7) : nil)
    }

    static var manifest: Manifest {
        var metadata = ManifestMetadata(
            sqltVersion: "1.0", generatedAt: "2024-01-01T00:00:00Z", invocationId: "id/1", projectName: "p")
        metadata.env = ["DBT_ENV": "x", "A": "b"]
        var nodes: [String: ManifestNode] = [:]
        for i in 0..<80 {
            let node = node("m\(i)", full: i % 3 == 0)
            nodes[node.uniqueId] = node
        }
        let source = SourceDefinition(
            uniqueId: "source.p.s.t", packageName: "p", sourceName: "s", name: "t", identifier: "t_raw", database: "db",
            schema: "raw", relationName: "\"raw\".\"t_raw\"", originalFilePath: "models/_sources.yml",
            fqn: ["p", "s", "t"],
            description: "d", sourceDescription: "sd", loadedAtField: "at",
            freshness: .object(["warn_after": .object(["count": 1])]),
            columns: ["c": ColumnInfo(name: "c")], meta: ["m": 1], sourceMeta: ["n": .bool(false)], tags: ["s"],
            config: ["enabled": true], declaredAt: SourceLocation(file: "models/_sources.yml", line: 1, column: 1))
        let bare = SourceDefinition(
            uniqueId: "source.p.s.u", packageName: "p", sourceName: "s", name: "u", identifier: "u", schema: "raw",
            relationName: "\"raw\".\"u\"", originalFilePath: "models/_sources.yml", fqn: ["p", "s", "u"])
        return Manifest(
            metadata: metadata, nodes: nodes, sources: [source.uniqueId: source, bare.uniqueId: bare],
            macros: [
                "macro.p.m": MacroDefinition(
                    uniqueId: "macro.p.m", name: "m", packageName: "p", originalFilePath: "macros/m.sql",
                    macroSql: "{% macro m(x) %}{{ x }}{% endmacro %}", arguments: ["x"])
            ],
            docs: [
                "doc.p.d": DocDefinition(
                    uniqueId: "doc.p.d", name: "d", packageName: "p", originalFilePath: "models/docs.md",
                    blockContents: awkward)
            ],
            parentMap: ["model.p.m0": ["model.p.a"], "model.p.a": []],
            childMap: ["model.p.a": ["model.p.m0", "model.p.m1"]],
            disabled: ["model.p.off": [node("off", full: true)]])
    }

    @Test(arguments: [true, false])
    func matchesJSONEncoderByteForByte(populated: Bool) throws {
        let manifest =
            populated
            ? Self.manifest
            : Manifest(
                metadata: ManifestMetadata(sqltVersion: "1", generatedAt: "t", invocationId: "i", projectName: "p"))
        let written = try ManifestJSONWriter.encode(manifest)
        let expected = try Self.foundationJSON(manifest)
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }

    @Test func decodesBackToTheSameManifest() throws {
        let written = try ManifestJSONWriter.encode(Self.manifest)
        let decoded = try JSONDecoder().decode(Manifest.self, from: written)
        #expect(decoded.nodes.count == 80)
        #expect(decoded.nodes["model.p.m0"]?.testMetadata?.kwargs["values"] == .array(["a", 1, 2.5]))
        #expect(decoded.nodes["model.p.m0"]?.columns["id"]?.quote == true)
        #expect(decoded.sources["source.p.s.t"]?.freshness == .object(["warn_after": .object(["count": 1])]))
        #expect(decoded.docs["doc.p.d"]?.blockContents == Self.awkward)
        #expect(try ManifestJSONWriter.encode(decoded) == written)
    }

    /// Large enough (about 4 MB) that the file writer flushes several times on the way.
    @Test func writesTheSameBytesToAFile() throws {
        var manifest = Self.manifest
        let big = String(repeating: "select 'x' as c -- \u{e9}\n", count: 5_000)
        for id in manifest.nodes.keys.prefix(40) { manifest.nodes[id]?.rawCode = big }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqlt-manifest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("manifest.json").path
        try ManifestJSONWriter.write(manifest, toFile: path)
        let onDisk = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(onDisk.count > 4_000_000)
        #expect(onDisk == (try ManifestJSONWriter.encode(manifest)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["manifest.json"])
        #expect(throws: (any Error).self) {
            try ManifestJSONWriter.write(manifest, toFile: folder.path + "/missing/manifest.json")
        }
    }

    /// `--state` reads manifests with the nodes decoded on every core: the same manifest as one
    /// JSONDecoder gives, also for pretty-printed text and ids that need unescaping; bad JSON throws.
    @Test func stateReaderMatchesJSONDecoder() throws {
        var manifest = Self.manifest
        var odd = try #require(manifest.nodes["model.p.m1"])
        odd.uniqueId = "model.p.we\"ird\\id"
        odd.description = "braces { [ \" ] } in text"
        manifest.nodes[odd.uniqueId] = odd
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        for data in [try ManifestJSONWriter.encode(manifest), try encoder.encode(manifest)] {
            let read = try ManifestJSONReader.decode(data)
            let expected = try JSONDecoder().decode(Manifest.self, from: data)
            #expect(read.nodes.count == expected.nodes.count)
            #expect(try ManifestJSONWriter.encode(read) == (try ManifestJSONWriter.encode(expected)))
            #expect(read.nodes["model.p.we\"ird\\id"]?.description == "braces { [ \" ] } in text")
        }
        #expect(throws: (any Error).self) { try ManifestJSONReader.decode(Data("{\"nodes\": {\"a\": {".utf8)) }
    }

    /// Unit tests go to dbt's `unit_tests` map with their fixtures, not among the nodes, and come
    /// back as nodes (with their model's raw code) through both readers.
    @Test func unitTestsAreWrittenInDbtsMapAndReadBack() throws {
        var manifest = Self.manifest
        let model = try #require(manifest.nodes["model.p.m1"])
        var unit = ManifestNode(
            uniqueId: "unit_test.p.m1.adds_up", resourceType: .unitTest, name: "adds_up", packageName: "p",
            path: model.path,
            originalFilePath: "models/_unit.yml", fqn: ["p", "m1", "adds_up"], database: model.database,
            schema: "analytics",
            alias: "adds_up", rawCode: model.rawCode, config: ["severity": "ERROR"], description: "d",
            dependsOn: DependsOn(nodes: ["model.p.a"]), checksum: FileChecksum(checksum: "c1"),
            attachedNode: model.uniqueId)
        unit.unitTestFixtures = UnitTestFixtures(
            model: "m1",
            given: [UnitTestInput(input: "ref('a')", rows: UnitTestRows(format: "csv", rows: "id\n1\n", fixture: nil))],
            expect: UnitTestRows(format: "dict", rows: [["id": 1]], fixture: nil))
        manifest.nodes[unit.uniqueId] = unit
        let written = try ManifestJSONWriter.encode(manifest)
        #expect(
            String(decoding: written, as: UTF8.self)
                == String(decoding: try Self.foundationJSON(manifest), as: UTF8.self))
        let json = try #require(try JSONSerialization.jsonObject(with: written) as? [String: Any])
        #expect((json["nodes"] as? [String: Any])?[unit.uniqueId] == nil)
        let entry = try #require((json["unit_tests"] as? [String: Any])?[unit.uniqueId] as? [String: Any])
        #expect(entry["model"] as? String == "m1")
        #expect((entry["given"] as? [[String: Any]])?.first?["input"] as? String == "ref('a')")
        #expect((entry["expect"] as? [String: Any])?["format"] as? String == "dict")
        for read in [try JSONDecoder().decode(Manifest.self, from: written), try ManifestJSONReader.decode(written)] {
            let back = try #require(read.nodes[unit.uniqueId])
            #expect(back.resourceType == .unitTest)
            #expect(back.rawCode == model.rawCode)
            #expect(back.attachedNode == model.uniqueId)
            #expect(back.checksum.checksum == "c1")
            #expect(back.unitTestFixtures == unit.unitTestFixtures)
            #expect(try ManifestJSONWriter.encode(read) == written)
        }
    }

    @Test func rejectsNonFiniteNumbersLikeJSONEncoder() {
        var manifest = Self.manifest
        manifest.nodes["model.p.m1"]?.config["bad"] = .double(.infinity)
        #expect(throws: (any Error).self) { try ManifestJSONWriter.encode(manifest) }
        #expect(throws: (any Error).self) { try Self.foundationJSON(manifest) }
    }
}
