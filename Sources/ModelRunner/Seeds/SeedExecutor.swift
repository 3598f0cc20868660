import Foundation
import ModelCompiler

/// Loads seed nodes (resource type `.seed`) with `SeedLoader`; the message is `INSERT <rows>`
/// as dbt prints it.
public struct SeedExecutor: NodeExecutor {
    public init() {}

    public func execute(_ node: ManifestNode, in context: ExecutionContext) -> NodeResult {
        let started = Date()
        func result(_ status: NodeStatus, _ message: String, rows: Int? = nil, sql: String? = nil) -> NodeResult {
            let completed = Date()
            return NodeResult(
                uniqueId: node.uniqueId, status: status, message: message, rowsAffected: rows,
                timing: [NodeTiming(name: "execute", startedAt: started, completedAt: completed)],
                executionTime: completed.timeIntervalSince(started), threadId: context.threadId, executedSQL: sql,
                relation: "\(node.schema).\(node.alias)")
        }
        guard node.config.enabled else { return result(.skipped, "disabled") }
        do {
            let loader = try SeedLoader(node: node, projectRoot: context.projectRoot)
            let ledger = RGPDLedger.existingSecret(projectDir: context.projectRoot.path).map {
                RGPDLedger(targetSchema: context.options.targetSchema, secret: $0)
            }
            let loaded = try loader.load(
                session: context.session, runId: context.options.invocationId,
                rebuiltByThisRun: context.rebuiltRelations
            ) {
                session, target, columns throws(DatabaseError) in
                // A person erased with `sqlt rgpd forget` stays erased when the CSV still holds them.
                try ledger?.removeForgotten(
                    from: target, columns: columns, keyAliases: RGPDKeyLineage.keyAliases(node), session: session)
            }
            return result(.success, "INSERT \(loaded.rows)", rows: loaded.rows, sql: loaded.script)
        } catch {
            return result(.error, error.description)
        }
    }
}
