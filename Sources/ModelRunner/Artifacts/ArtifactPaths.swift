import Foundation

/// Where sqlt writes artifacts under `target/`.
public enum ArtifactPaths {
    /// `target/run/<project>/<original_file_path>`, relative to the project root.
    public static func runFile(project: String, originalFilePath: String) -> String {
        "target/run/\(project)/\(originalFilePath)"
    }

    /// The executed SQL file of a node under `targetPath`.
    public static func runFileURL(targetPath: URL, project: String, originalFilePath: String) -> URL {
        targetPath.appendingPathComponent("run").appendingPathComponent(project).appendingPathComponent(originalFilePath)
    }

    /// `target/run_results.json`.
    public static func runResultsURL(targetPath: URL) -> URL { targetPath.appendingPathComponent("run_results.json") }
}
