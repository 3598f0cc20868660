import Foundation
import ModelCompiler

/// Writing and reading `target/manifest.json` and writing the compiled SQL files, at the paths
/// `ArtifactPaths` gives.
public enum ManifestArtifacts {
    /// Writes `manifest.json` atomically into `targetDir` (created when missing).
    public static func writeManifest(_ manifest: Manifest, to targetDir: URL) throws {
        try FileManager.default.createDirectory(at: targetDir, withIntermediateDirectories: true)
        try ManifestJSONWriter.write(manifest, toFile: ArtifactPaths.manifestURL(targetPath: targetDir).path)
    }

    /// Reads an earlier manifest (for `--state`); a folder without one is a diagnostic.
    public static func readManifest(in folder: URL) throws -> Manifest {
        let url = ArtifactPaths.manifestURL(targetPath: folder)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Diagnostic.error(
                "state.missing", "no manifest.json in '\(folder.path)'",
                hint: "pass --state the target folder of an earlier sqlt parse or run")
        }
        return try ManifestJSONReader.decode(data)
    }

    /// Writes each listed node's compiled SQL under `compiled/` (nodes without compiled code are
    /// left out); as in dbt 1.11, none for snapshots and seeds (their SQL is in the manifest's
    /// `compiled_code` and, once run, under `run/`).
    public static func writeCompiled(_ manifest: Manifest, ids: [String], to targetDir: URL) throws {
        let root = URL(fileURLWithPath: targetDir.path)
        try AtomicFile.writeFiles(
            ids.compactMap { id in
                guard let node = manifest.nodes[id], let sql = node.compiledCode,
                    node.resourceType != .snapshot, node.resourceType != .seed
                else { return nil }
                return (ArtifactPaths.compiledFileURL(targetPath: root, node: node).path, sql)
            })
    }
}
