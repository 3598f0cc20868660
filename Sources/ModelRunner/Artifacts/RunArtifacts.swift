import Foundation
import Synchronization
import ModelCompiler

/// Writes the artifacts of one run: the executed SQL of each node and `run_results.json`.
public enum RunArtifacts {
    /// Writes `target/run/<project>/<original_file_path>` for every result with executed SQL.
    /// Folders are created once each; the files are written on every core.
    public static func writeExecutedSQL(_ results: [NodeResult], nodes: [String: ManifestNode], targetPath: URL) throws {
        var files: [(path: String, sql: String)] = []
        var slots: [String: Int] = [:]
        var folders = Set<String>()
        for result in results {
            guard let sql = result.executedSQL, let node = nodes[result.uniqueId] else { continue }
            let url = ArtifactPaths.runFileURL(targetPath: targetPath, project: node.packageName, originalFilePath: node.originalFilePath)
            let folder = url.deletingLastPathComponent().path
            if folders.insert(folder).inserted { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            // Several nodes can share a file (the unit tests of one property file): the last one wins, as before.
            if let slot = slots[url.path] {
                files[slot].sql = sql
            } else {
                slots[url.path] = files.count
                files.append((url.path, sql))
            }
        }
        let failures = Mutex<[any Error]>([])
        let pending = files
        DispatchQueue.concurrentPerform(iterations: pending.count) { index in
            do { try AtomicFile.write(pending[index].sql.utf8, toFile: pending[index].path) } catch {
                failures.withLock { $0.append(error) }
            }
        }
        if let first = failures.withLock({ $0.first }) { throw first }
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
