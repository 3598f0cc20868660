import Foundation
import ModelCompiler

/// Writes `target/catalog.json` and `target/docs/index.html` (through `AtomicFile`: secrets masked).
public enum DocsArtifacts {
    /// Writes `catalog.json` in `targetDir` atomically.
    public static func writeCatalog(_ catalog: CatalogArtifact, to targetDir: URL) throws {
        try FileManager.default.createDirectory(at: targetDir, withIntermediateDirectories: true)
        try AtomicFile.write(
            JSONEncoder.artifacts().encode(catalog), toFile: ArtifactPaths.catalogURL(targetPath: targetDir).path)
    }

    /// Writes `docs/index.html` under `targetDir` atomically and returns its URL.
    @discardableResult
    public static func writeSite(_ data: DocsSiteData, to targetDir: URL) throws -> URL {
        let folder = ArtifactPaths.docsFolder(targetPath: targetDir)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("index.html")
        try AtomicFile.write(try DocsPage.render(data).utf8, toFile: url.path)
        return url
    }
}
