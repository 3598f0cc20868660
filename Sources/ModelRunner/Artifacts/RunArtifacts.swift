import Foundation
import ModelCompiler

/// Writes the artifacts of one run: the executed SQL of each node and `run_results.json`.
public enum RunArtifacts {
    /// Writes `target/run/<project>/<path>` (`ArtifactPaths.nodeFile`, one file per node) for
    /// every result with executed SQL, on every core.
    public static func writeExecutedSQL(_ results: [NodeResult], nodes: [String: ManifestNode], targetPath: URL) throws
    {
        try AtomicFile.writeFiles(
            results.compactMap { result in
                guard let sql = result.executedSQL, let node = nodes[result.uniqueId] else { return nil }
                let url = ArtifactPaths.runFileURL(targetPath: targetPath, node: node)
                return (url.path, sql)
            })
    }

    /// Writes the executed SQL and `target/run_results.json`.
    public static func write(
        _ results: [NodeResult], nodes: [String: ManifestNode], options: RunOptions, elapsedTime: Double,
        args: [String: JSONValue]
    ) throws {
        try writeExecutedSQL(results, nodes: nodes, targetPath: options.targetPath)
        let file = RunResultsFile(
            results: results, nodes: nodes, invocationId: options.invocationId, elapsedTime: elapsedTime, args: args)
        try file.write(to: ArtifactPaths.runResultsURL(targetPath: options.targetPath))
    }
}
