import Foundation
import ModelCompiler
import ModelRunner

/// Writing `target/manifest.json` and the compiled SQL files.
enum ManifestArtifacts {
    /// Writes `manifest.json` atomically.
    static func writeManifest(_ manifest: Manifest, to targetDir: URL) throws {
        try FileManager.default.createDirectory(at: targetDir, withIntermediateDirectories: true)
        try ManifestJSONWriter.write(manifest, toFile: targetDir.appendingPathComponent("manifest.json").path)
    }

    /// Reads an earlier manifest (for `--state`).
    static func readManifest(in folder: URL) throws -> Manifest {
        let url = folder.appendingPathComponent("manifest.json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Diagnostic.error(
                "state.missing", "no manifest.json in '\(folder.path)'",
                hint: "pass --state the target folder of an earlier sqlt parse or run")
        }
        return try ManifestJSONReader.decode(data)
    }

    /// Writes each node's compiled SQL; as in dbt 1.11, none for snapshots and seeds (their SQL is
    /// in the manifest's `compiled_code` and, once run, under `target/run/`).
    static func writeCompiled(_ manifest: Manifest, ids: [String], to targetDir: URL) throws {
        let root = targetDir.path
        try AtomicFile.writeFiles(
            ids.compactMap { id in
                guard let node = manifest.nodes[id], let sql = node.compiledCode,
                    node.resourceType != .snapshot, node.resourceType != .seed
                else { return nil }
                return (ArtifactPaths.compiledFileURL(targetPath: URL(fileURLWithPath: root), node: node).path, sql)
            })
    }
}
