import Foundation

/// Writes `target/catalog.json` and `target/docs/index.html`.
public enum DocsArtifacts {
    /// Writes `catalog.json` in `targetDir` atomically.
    public static func writeCatalog(_ catalog: CatalogArtifact, to targetDir: URL) throws {
        try FileManager.default.createDirectory(at: targetDir, withIntermediateDirectories: true)
        try JSONEncoder.artifacts().encode(catalog).write(
            to: ArtifactPaths.catalogURL(targetPath: targetDir), options: .atomic)
    }

    /// Writes `docs/index.html` under `targetDir` atomically and returns its URL.
    @discardableResult
    public static func writeSite(_ data: DocsSiteData, to targetDir: URL) throws -> URL {
        let folder = ArtifactPaths.docsFolder(targetPath: targetDir)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("index.html")
        try Data(try DocsPage.render(data).utf8).write(to: url, options: .atomic)
        return url
    }
}
