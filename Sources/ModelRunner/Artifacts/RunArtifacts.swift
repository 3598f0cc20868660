import Foundation
import ModelCompiler

/// Writes the artifacts of one run: the executed SQL of each node and `run_results.json`.
public enum RunArtifacts {
    /// Writes `target/run/<project>/<path>` (`ArtifactPaths.nodeFile`) for every result with
    /// executed SQL, on every core. dbt 1.11 gives every `{% snapshot %}` block of one file that
    /// file's path (`target/run/<project>/snapshots/<file>.sql`, the last block run overwriting
    /// the others); here such a file holds each block's SQL, in unique-id order, each after a
    /// `-- <unique id>` line, so no block's SQL is lost and the layout stays dbt's.
    public static func writeExecutedSQL(_ results: [NodeResult], nodes: [String: ManifestNode], targetPath: URL) throws
    {
        var byPath: [String: [(id: String, sql: String)]] = [:]
        var order: [String] = []
        for result in results {
            guard let sql = result.executedSQL, let node = nodes[result.uniqueId] else { continue }
            let path = ArtifactPaths.runFileURL(targetPath: targetPath, node: node).path
            if byPath[path] == nil { order.append(path) }
            byPath[path, default: []].append((result.uniqueId, sql))
        }
        try AtomicFile.writeFiles(
            order.map { path in
                let entries = byPath[path]!
                guard entries.count > 1 else { return (path, entries[0].sql) }
                let text = entries.sorted { $0.id < $1.id }.map { "-- \($0.id)\n\($0.sql)" }
                return (path, text.joined(separator: "\n\n"))
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
