import Foundation
import ModelCompiler
import Testing

@testable import ModelRunner

/// A small project for the docs: two seeds, a bronze view, two silver models, a gold model.
enum DocsFixture {
    static func model(
        _ name: String, folder: String, parents: [String], columns: [ColumnInfo] = [], description: String = ""
    ) -> ManifestNode {
        ManifestNode(
            uniqueId: "model.p.\(name)", resourceType: .model, name: name, packageName: "p",
            path: "\(folder)/\(name).sql",
            originalFilePath: "models/\(folder)/\(name).sql", fqn: ["p", folder, name], schema: "analytics_\(folder)",
            alias: name,
            relationName: "\"analytics_\(folder)\".\"\(name)\"", rawCode: "select 1 -- {{ ref('x') }}",
            compiledCode: "select 1",
            config: ["materialized": .string("table")], description: description,
            columns: Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0) }),
            dependsOn: DependsOn(nodes: parents))
    }

    static func seed(_ name: String, columns: [ColumnInfo] = []) -> ManifestNode {
        ManifestNode(
            uniqueId: "seed.p.\(name)", resourceType: .seed, name: name, packageName: "p", path: "\(name).csv",
            originalFilePath: "seeds/\(name).csv", fqn: ["p", name], schema: "analytics", alias: name,
            relationName: "\"analytics\".\"\(name)\"", rawCode: "",
            columns: Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0) }))
    }

    static func test(_ name: String, on node: String, column: String?) -> ManifestNode {
        ManifestNode(
            uniqueId: "test.p.\(name)_\(node.split(separator: ".").last!)_\(column ?? "")", resourceType: .test,
            name: name, packageName: "p",
            path: "x.yml", originalFilePath: "models/x.yml", fqn: ["p", name], schema: "analytics", alias: name,
            rawCode: "",
            dependsOn: DependsOn(nodes: [node]), testMetadata: TestMetadata(name: name, kwargs: [:]),
            columnName: column, attachedNode: node)
    }

    static var manifest: Manifest {
        let nodes = [
            seed(
                "people",
                columns: [
                    ColumnInfo(name: "first_name", meta: ["pii": .string("direct")]), ColumnInfo(name: "id", index: 1),
                ]),
            seed("units"),
            model("bronze_people", folder: "bronze", parents: ["seed.p.people"]),
            model(
                "silver_people", folder: "silver", parents: ["model.p.bronze_people"],
                columns: [
                    ColumnInfo(
                        name: "display_name", description: "Pseudonymised </script><script>alert(1)</script> name.",
                        index: 1),
                    ColumnInfo(name: "id", description: "Person id.", meta: ["pii": .string("indirect")], index: 0),
                ], description: "People without identifiers."),
            model("silver_people_units", folder: "silver", parents: ["model.p.silver_people", "seed.p.units"]),
            model("gold_counts", folder: "gold", parents: ["model.p.silver_people_units"]),
            test("unique", on: "model.p.silver_people", column: "id"),
            test("not_null", on: "model.p.silver_people", column: "id"),
            test("row_count", on: "model.p.gold_counts", column: nil),
        ]
        var parentMap: [String: [String]] = [:]
        for node in nodes { parentMap[node.uniqueId] = node.dependsOn.nodes }
        return Manifest(
            metadata: ManifestMetadata(sqltVersion: "0", generatedAt: "now", invocationId: "i", projectName: "p"),
            nodes: Dictionary(uniqueKeysWithValues: nodes.map { ($0.uniqueId, $0) }), parentMap: parentMap)
    }

    static var lineage: ProjectLineage {
        func input(
            _ node: String, _ column: String, _ type: String = "DIRECT", _ subtype: String = "IDENTITY"
        ) -> ColumnInputReference {
            ColumnInputReference(
                node: node, relation: node.split(separator: ".").last.map(String.init)!, column: column, type: type,
                subtype: subtype, masking: false)
        }
        return ProjectLineage(
            generatedAt: "now",
            nodes: [
                "model.p.bronze_people": NodeLineage(
                    uniqueId: "model.p.bronze_people",
                    columns: [
                        ColumnLineageEntry(
                            name: "id", privacy: "indirect", piiSources: [], inputs: [input("seed.p.people", "id")]),
                        ColumnLineageEntry(
                            name: "first_name", privacy: "direct", piiSources: [],
                            inputs: [input("seed.p.people", "first_name")]),
                    ], issues: []),
                "model.p.silver_people": NodeLineage(
                    uniqueId: "model.p.silver_people",
                    columns: [
                        ColumnLineageEntry(
                            name: "id", privacy: "indirect", piiSources: [],
                            inputs: [input("model.p.bronze_people", "id")]),
                        ColumnLineageEntry(
                            name: "display_name", privacy: "direct", piiSources: [],
                            inputs: [
                                input("model.p.bronze_people", "first_name", "DIRECT", "TRANSFORMATION"),
                                input("model.p.bronze_people", "id", "INDIRECT", "WINDOW"),
                            ]),
                    ], issues: ["unknown relation x"]),
            ])
    }
}

@Suite struct DocsSiteTests {
    @Test func layoutPlacesLayersInDependencyOrderWithSubColumns() {
        let manifest = DocsFixture.manifest
        let data = DocsSiteData.build(
            manifest: manifest, catalog: nil, catalogNote: "skipped", lineage: nil, generatedAt: "now")
        #expect(data.layers.map(\.name) == ["seeds", "bronze", "silver", "gold"])
        #expect(data.layers.map(\.columnCount) == [1, 1, 2, 1])
        let column = Dictionary(uniqueKeysWithValues: data.nodes.map { ($0.id, $0.column) })
        #expect(column["seed.p.people"] == 0)
        #expect(column["seed.p.units"] == 0)
        #expect(column["model.p.bronze_people"] == 1)
        #expect(column["model.p.silver_people"] == 2)
        #expect(column["model.p.silver_people_units"] == 3)
        #expect(column["model.p.gold_counts"] == 4)
        #expect(!data.nodes.contains { $0.type == "test" })
    }

    @Test(arguments: [
        ("model.p.silver_people", "id", ["not_null", "unique"], "indirect"),
        ("model.p.silver_people", "display_name", [], "direct"),
        ("seed.p.people", "first_name", [], "direct"),
        ("seed.p.people", "id", [], nil),
    ])
    func columnsCarryTestsAndPrivacy(node: String, column: String, tests: [String], privacy: String?) throws {
        let data = DocsSiteData.build(
            manifest: DocsFixture.manifest, catalog: nil, catalogNote: nil, lineage: DocsFixture.lineage,
            generatedAt: "now")
        let entry = try #require(data.nodes.first { $0.id == node }?.columns.first { $0.name == column })
        #expect(entry.tests == tests)
        #expect(entry.privacy == privacy)
    }

    @Test func columnsFollowTheCatalogThenLineageThenDeclarations() throws {
        let catalog = CatalogArtifact(
            metadata: .init(sqltVersion: "0", generatedAt: "now", invocationId: "i"),
            nodes: [
                "model.p.silver_people": CatalogArtifact.table(
                    RelationListing.Relation(
                        schema: "analytics_silver", name: "silver_people", kind: .table,
                        columns: [(name: "id", type: "integer"), (name: "extra", type: "text")]),
                    uniqueId: "model.p.silver_people", database: "db")
            ],
            sources: [:])
        let data = DocsSiteData.build(
            manifest: DocsFixture.manifest, catalog: catalog, catalogNote: nil, lineage: DocsFixture.lineage,
            generatedAt: "now")
        let node = try #require(data.nodes.first { $0.id == "model.p.silver_people" })
        #expect(node.columns.map(\.name) == ["id", "extra", "display_name"])
        #expect(node.columns.map(\.type) == ["integer", "text", nil])
        #expect(node.relationType == "BASE TABLE")
        #expect(node.lineageIssues == ["unknown relation x"])
        #expect(node.columns[2].inputs.map(\.column) == ["first_name", "id"])
        #expect(data.catalogAvailable)
        let gold = try #require(data.nodes.first { $0.id == "model.p.gold_counts" })
        #expect(gold.tests == ["row_count"])
    }

    @Test func sourcesShareTheFirstLayerWithSeedsAndKeepTheirDescriptions() throws {
        var manifest = DocsFixture.manifest
        let source = SourceDefinition(
            uniqueId: "source.p.crm.accounts", packageName: "p", sourceName: "crm", name: "accounts",
            identifier: "accounts_raw",
            schema: "crm", relationName: "\"crm\".\"accounts_raw\"", originalFilePath: "models/sources.yml",
            fqn: ["p", "crm", "accounts"],
            description: "Accounts.", sourceDescription: "The CRM export.",
            columns: ["email": ColumnInfo(name: "email", description: "Contact.", meta: ["pii": .string("direct")])])
        manifest.sources[source.uniqueId] = source
        manifest.nodes["model.p.bronze_people"]!.dependsOn.nodes.append(source.uniqueId)
        manifest.parentMap["model.p.bronze_people", default: []].append(source.uniqueId)
        let data = DocsSiteData.build(
            manifest: manifest, catalog: nil, catalogNote: nil, lineage: nil, generatedAt: "now")
        #expect(data.layers.first?.name == "seeds & sources")
        let node = try #require(data.nodes.first { $0.id == source.uniqueId })
        #expect(node.type == "source")
        #expect(node.name == "crm.accounts")
        #expect(node.layer == "seeds & sources")
        #expect(node.column == 0)
        #expect(node.description == "The CRM export.\n\nAccounts.")
        #expect(node.columns.map(\.privacy) == ["direct"])
        #expect(data.nodes.first { $0.id == "model.p.bronze_people" }?.parents == ["seed.p.people", source.uniqueId])
    }

    /// The page's data, encoded in slices on every core and escaped in one pass, is byte for byte what
    /// one JSONEncoder plus string replacement gives (several slices, a U+2028 and a `<`).
    @Test(arguments: [false, true])
    func embeddedJSONMatchesOneEncoder(lineage: Bool) throws {
        var data = DocsSiteData.build(
            manifest: DocsFixture.manifest, catalog: nil, catalogNote: nil, lineage: nil, generatedAt: "now")
        data.lineageAvailable = lineage
        let template = try #require(data.nodes.first)
        for index in 0..<700 {
            var node = template
            node.id = "model.p.copy_\(index)"
            node.description = index == 350 ? "line\u{2028}separated <b> \u{2029} é" : "copy \(index)"
            data.nodes.append(node)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = String(decoding: try encoder.encode(data), as: UTF8.self)
            .replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: "\u{2028}", with: "\\u2028").replacingOccurrences(of: "\u{2029}", with: "\\u2029")
        #expect(try DocsPage.embeddedJSON(data) == expected)
    }

    @Test func embeddedDataCannotCloseItsScriptElement() throws {
        let data = DocsSiteData.build(
            manifest: DocsFixture.manifest, catalog: nil, catalogNote: nil, lineage: nil, generatedAt: "now")
        let json = try DocsPage.embeddedJSON(data)
        #expect(!json.contains("</"))
        #expect(!json.contains("<"))
        let decoded = try JSONDecoder().decode(DocsSiteData.self, from: Data(json.utf8))
        let column = decoded.nodes.first { $0.id == "model.p.silver_people" }?.columns.first {
            $0.name == "display_name"
        }
        #expect(column?.description == "Pseudonymised </script><script>alert(1)</script> name.")

        let page = try DocsPage.render(data)
        #expect(page.components(separatedBy: "</script>").count == 3)
        #expect(!page.contains("<link"))
        #expect(!page.contains(" src="))
    }
}
