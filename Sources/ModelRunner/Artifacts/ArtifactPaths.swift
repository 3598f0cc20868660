import Foundation
import ModelCompiler

/// Where sqlt writes artifacts under `target/`, in dbt's layout, for every command: one file per
/// node under `compiled/` and `run/`, a node declared in a property file (a generic test, a unit
/// test) in a folder named after that file; `manifest.json`, `run_results.json`, `catalog.json`,
/// `sources.json`, `lineage.json`, `lineage/` and `docs/` beside them.
public enum ArtifactPaths {
    /// `<project>/<path>` of a node's compiled and executed SQL: `shop/models/orders.sql`,
    /// `shop/models/schema.yml/not_null_orders_id.sql`, unit tests
    /// `shop/models/schema.yml/<model>/<unit test>.sql`.
    public static func nodeFile(_ node: ManifestNode) -> String {
        let original = node.originalFilePath
        if node.resourceType == .unitTest {
            let model = node.attachedNode.flatMap { $0.split(separator: ".").last.map(String.init) } ?? "unit_tests"
            return "\(node.packageName)/\(original)/\(model)/\(node.name).sql"
        }
        if original.hasSuffix(".yml") || original.hasSuffix(".yaml") {
            let file = node.path.hasSuffix(".sql") ? (node.path as NSString).lastPathComponent : node.name + ".sql"
            return "\(node.packageName)/\(original)/\(file)"
        }
        return "\(node.packageName)/\(original)"
    }

    /// `target/run/<project>/<path>` relative to the project root (for messages).
    public static func runFile(_ node: ManifestNode, targetFolder: String = "target") -> String {
        "\(targetFolder)/run/\(nodeFile(node))"
    }

    /// `target/compiled/<project>/<path>` relative to the project root (for messages).
    public static func compiledFile(_ node: ManifestNode, targetFolder: String = "target") -> String {
        "\(targetFolder)/compiled/\(nodeFile(node))"
    }

    /// The executed SQL file of a node under `targetPath`.
    public static func runFileURL(targetPath: URL, node: ManifestNode) -> URL {
        targetPath.appendingPathComponent("run").appendingPathComponent(nodeFile(node))
    }

    /// The compiled SQL file of a node under `targetPath`.
    public static func compiledFileURL(targetPath: URL, node: ManifestNode) -> URL {
        targetPath.appendingPathComponent("compiled").appendingPathComponent(nodeFile(node))
    }

    /// `target/run_results.json`.
    public static func runResultsURL(targetPath: URL) -> URL { targetPath.appendingPathComponent("run_results.json") }

    /// `target/manifest.json` (also the file `--state` reads in its folder).
    public static func manifestURL(targetPath: URL) -> URL { targetPath.appendingPathComponent("manifest.json") }

    /// `target/catalog.json`, dbt's catalog artifact (`CatalogArtifact`).
    public static func catalogURL(targetPath: URL) -> URL { targetPath.appendingPathComponent("catalog.json") }

    /// `target/sources.json`, the results of `sqlt source freshness`.
    public static func sourcesURL(targetPath: URL) -> URL { targetPath.appendingPathComponent("sources.json") }

    /// `target/lineage.json`, the project's column lineage.
    public static func lineageURL(targetPath: URL) -> URL { targetPath.appendingPathComponent("lineage.json") }

    /// `target/lineage/`, the OpenLineage events of runs (`events.jsonl`).
    public static func lineageEventsFolder(targetPath: URL) -> URL { targetPath.appendingPathComponent("lineage") }

    /// `target/docs/`, the documentation site (`index.html`).
    public static func docsFolder(targetPath: URL) -> URL { targetPath.appendingPathComponent("docs") }

    /// `target/compiled/`, every node's compiled SQL.
    public static func compiledFolder(targetPath: URL) -> URL { targetPath.appendingPathComponent("compiled") }
}
