import Foundation
import ModelCompiler

/// Writes the artifacts of one run: the executed SQL of each node and `run_results.json`.
public enum RunArtifacts {
    /// Writes `target/run/<project>/<original_file_path>` for every result with executed SQL.
    public static func writeExecutedSQL(_ results: [NodeResult], nodes: [String: ManifestNode], targetPath: URL) throws {
        for result in results {
            guard let sql = result.executedSQL, let node = nodes[result.uniqueId] else { continue }
            let url = ArtifactPaths.runFileURL(targetPath: targetPath, project: node.packageName, originalFilePath: node.originalFilePath)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(sql.utf8).write(to: url, options: .atomic)
        }
    }

    /// Writes the executed SQL and `target/run_results.json`.
    public static func write(
        _ results: [NodeResult], nodes: [String: ManifestNode], options: RunOptions, elapsedTime: Double, args: [String: JSONValue]
    ) throws {
        try writeExecutedSQL(results, nodes: nodes, targetPath: options.targetPath)
        let file = RunResultsFile(results: results, nodes: nodes, invocationId: options.invocationId, elapsedTime: elapsedTime, args: args)
        try file.write(to: ArtifactPaths.runResultsURL(targetPath: options.targetPath))
    }
}
