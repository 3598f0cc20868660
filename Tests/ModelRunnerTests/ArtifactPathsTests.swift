import Foundation
import ModelCompiler
import Testing

@testable import ModelRunner

/// Every artifact path sqlt writes, in dbt's layout, from one owner (`ArtifactPaths`).
@Suite struct ArtifactPathsTests {
    static func node(
        _ type: ResourceType, _ file: String, path: String, name: String, attached: String? = nil
    ) -> ManifestNode {
        ManifestNode(
            uniqueId: "\(type.rawValue).shop.\(name)", resourceType: type, name: name, packageName: "shop", path: path,
            originalFilePath: file, fqn: [], schema: "s", alias: name, rawCode: "", attachedNode: attached)
    }

    static let target = URL(fileURLWithPath: "/p/target")

    /// (what, the path computed, dbt's path)
    static let cases: [(String, String, String)] = [
        (
            "a model's node file",
            ArtifactPaths.nodeFile(
                node(.model, "models/staging/orders.sql", path: "staging/orders.sql", name: "orders")),
            "shop/models/staging/orders.sql"
        ),
        (
            "a generic test's run file, in a folder named after its property file",
            ArtifactPaths.runFile(
                node(.test, "models/staging/schema.yml", path: "not_null_orders_id.sql", name: "not_null_orders_id")),
            "target/run/shop/models/staging/schema.yml/not_null_orders_id.sql"
        ),
        (
            "a singular test's compiled file",
            ArtifactPaths.compiledFile(
                node(.test, "tests/no_negative.sql", path: "no_negative.sql", name: "no_negative")),
            "target/compiled/shop/tests/no_negative.sql"
        ),
        (
            "a unit test, under its model",
            ArtifactPaths.nodeFile(
                node(.unitTest, "models/schema.yml", path: "schema.yml", name: "adds_up", attached: "model.shop.totals")
            ),
            "shop/models/schema.yml/totals/adds_up.sql"
        ),
        (
            "another target folder",
            ArtifactPaths.compiledFile(
                node(.model, "models/orders.sql", path: "orders.sql", name: "orders"), targetFolder: "build"),
            "build/compiled/shop/models/orders.sql"
        ),
        (
            "the compiled file URL",
            ArtifactPaths.compiledFileURL(
                targetPath: target, node: node(.model, "models/orders.sql", path: "orders.sql", name: "orders")
            ).path, "/p/target/compiled/shop/models/orders.sql"
        ),
        (
            "the run file URL",
            ArtifactPaths.runFileURL(
                targetPath: target, node: node(.model, "models/orders.sql", path: "orders.sql", name: "orders")
            ).path, "/p/target/run/shop/models/orders.sql"
        ),
        ("run_results.json", ArtifactPaths.runResultsURL(targetPath: target).path, "/p/target/run_results.json"),
        ("manifest.json", ArtifactPaths.manifestURL(targetPath: target).path, "/p/target/manifest.json"),
        ("catalog.json", ArtifactPaths.catalogURL(targetPath: target).path, "/p/target/catalog.json"),
        ("sources.json", ArtifactPaths.sourcesURL(targetPath: target).path, "/p/target/sources.json"),
        ("lineage.json", ArtifactPaths.lineageURL(targetPath: target).path, "/p/target/lineage.json"),
        ("OpenLineage events", ArtifactPaths.lineageEventsFolder(targetPath: target).path, "/p/target/lineage"),
        ("the docs site", ArtifactPaths.docsFolder(targetPath: target).path, "/p/target/docs"),
        ("compiled SQL", ArtifactPaths.compiledFolder(targetPath: target).path, "/p/target/compiled"),
    ]

    @Test(arguments: cases.indices)
    func followsDbtsLayout(_ index: Int) {
        let (what, computed, expected) = Self.cases[index]
        #expect(computed == expected, "\(what)")
    }

    @Test func manifestArtifactsWriteAndReadBackWhereThePathsSay() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqlt-paths-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var manifest = Manifest(
            metadata: ManifestMetadata(sqltVersion: "1", generatedAt: "now", invocationId: "i", projectName: "shop"))
        var model = Self.node(.model, "models/orders.sql", path: "orders.sql", name: "orders")
        model.compiledCode = "select 1 as id"
        manifest.nodes[model.uniqueId] = model
        try ManifestArtifacts.writeManifest(manifest, to: folder)
        try ManifestArtifacts.writeCompiled(manifest, ids: [model.uniqueId], to: folder)
        #expect(FileManager.default.fileExists(atPath: ArtifactPaths.manifestURL(targetPath: folder).path))
        let compiled = try String(
            contentsOf: ArtifactPaths.compiledFileURL(targetPath: folder, node: model), encoding: .utf8)
        #expect(compiled == "select 1 as id")
        #expect(try ManifestArtifacts.readManifest(in: folder).nodes[model.uniqueId]?.name == "orders")
        do {
            _ = try ManifestArtifacts.readManifest(in: folder.appendingPathComponent("nowhere"))
            Issue.record("expected a diagnostic")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.message == "no manifest.json in '\(folder.appendingPathComponent("nowhere").path)'")
        }
    }
}
