import ModelCompiler

/// Erasure that survives seed reloads: deletes again the subjects recorded in the ledger.
public enum RGPDReapply {
    /// What `reapply` did to one table.
    public struct Reapplied: Sendable {
        public var relation: RGPDRelation
        public var keyColumns: [String]
        /// Rows of forgotten subjects found (and deleted, unless dry run).
        public var rows: Int
    }

    /// Deletes again, from every table sqlt builds that has the key columns, the rows of every
    /// subject recorded in the ledger (after a `sqlt seed` reloaded a CSV still holding them), in one
    /// transaction, children first; materialized views holding the keys are refreshed. Needs the
    /// ledger's secret. A dry run only counts.
    public static func run(
        ledger: RGPDLedger, manifest: Manifest, graph: DependencyGraph, catalog: RelationListing,
        session: any DatabaseSession, dryRun: Bool
    ) throws(DatabaseError) -> [Reapplied] {
        let sets = try ledger.keyColumnSets(session: session)
        guard !sets.isEmpty else { return [] }
        if !dryRun { try session.executeScript("begin") }
        do throws(DatabaseError) {
            var results: [Reapplied] = []
            var refresh: [RGPDRelation] = []
            for columns in sets {
                let subjects = columns.map { RGPDSubject(column: $0, value: "") }
                let scope = RGPDScope.resolve(subjects: subjects, manifest: manifest, graph: graph, catalog: catalog)
                let condition = ledger.forgottenRowsCondition(columns)
                for relation in scope.holding.reversed()
                where relation.link == nil && relation.keyColumns.allSatisfy({ $0.key == $0.value }) {
                    switch relation.control {
                    case .table:
                        let found =
                            Int(
                                try session.execute(
                                    "select count(*) from \(relation.qualified) where \(condition)", [ledger.secret]
                                ).scalar ?? "0") ?? 0
                        if !dryRun && found > 0 {
                            try session.execute("delete from \(relation.qualified) where \(condition)", [ledger.secret])
                        }
                        results.append(Reapplied(relation: relation, keyColumns: columns, rows: found))
                    case .materializedView:
                        refresh.append(relation)
                    case .view, .source:
                        continue
                    }
                }
            }
            if !dryRun {
                for relation in refresh { try session.execute("refresh materialized view \(relation.qualified)") }
                try session.executeScript("commit")
            }
            return results.reversed()
        } catch {
            if !dryRun { _ = try? session.executeScript("rollback") }
            throw error
        }
    }
}
