import ModelCompiler

/// Right to erasure: deletes a subject's rows from every table sqlt builds, in one transaction.
public enum RGPDForget {
    /// What happened (or would happen, in a dry run) to one relation.
    public struct Outcome: Sendable {
        public enum Action: String, Sendable {
            /// Rows deleted (or, in a dry run, to delete).
            case deleted
            /// A view: nothing to delete, its rows follow its parents.
            case followsParents = "follows_parents"
            /// A materialized view: refreshed after the deletes.
            case refreshed
            /// A source outside sqlt's control: its owner must erase the rows.
            case notifyOwner = "notify_owner"
        }
        public var relation: RGPDRelation
        public var action: Action
        /// Rows of the subject before the operation; nil when the relation is not readable.
        public var rowsBefore: Int?
        /// Rows of the subject after it (0 for every table when the erasure succeeded).
        public var rowsAfter: Int?
    }

    /// The result of a `forget`.
    public struct Report: Sendable {
        public var outcomes: [Outcome]
        public var dryRun: Bool
        /// Total rows deleted from sqlt's tables.
        public var rowsDeleted: Int {
            outcomes.filter { $0.action == .deleted }.reduce(0) { $0 + ($1.rowsBefore ?? 0) - ($1.rowsAfter ?? 0) }
        }
        /// Sources that still hold the subject, or that sqlt cannot read (to notify their owners).
        public var sourcesHolding: [Outcome] {
            outcomes.filter { $0.action == .notifyOwner && ($0.rowsAfter ?? 1) > 0 }
        }
    }

    /// Deletes the subject from the tables of `scope` (children first), refreshes materialized views
    /// (holding the subject, or aggregating their data),
    /// counts what remains everywhere, rolls back with an error if a table still holds the subject,
    /// records the subject in `ledger` and commits. A dry run only counts.
    public static func run(
        _ scope: RGPDScope, session: any DatabaseSession, dryRun: Bool, ledger: RGPDLedger?
    ) throws(DatabaseError) -> Report {
        var before: [String: Int?] = [:]
        if !dryRun {
            // A copy an interrupted run left (`__sqlt_tmp_`, `__sqlt_backup_`) may hold the subject:
            // drop it (the run lock is held), and refuse to go on while one cannot be dropped.
            let relations = scope.holding.map { (schema: $0.schema, name: $0.name) }
            _ = try LeftoverSweep.drop(of: relations, session: session)
            let stuck = try LeftoverSweep.leftovers(of: relations, session: session)
            if !stuck.isEmpty {
                throw DatabaseError(
                    message:
                        "rgpd forget stopped: \(stuck.map { "\($0.schema).\($0.name)" }.joined(separator: ", ")), left by an interrupted run, may hold the subject and cannot be dropped (another object depends on it)",
                    hint: "drop it, or what depends on it, then run rgpd forget again")
            }
            try session.executeScript("begin")
        }
        let filters: [String: RGPDRowFilter]
        do throws(DatabaseError) {
            filters = try RGPDRowFilter.resolve(scope, session: session)
            for relation in scope.holding { before[relation.uniqueId] = try count(relation, filters, session) }
        } catch {
            if !dryRun { _ = try? session.executeScript("rollback") }
            throw error
        }
        if dryRun {
            return Report(
                outcomes: scope.holding.map {
                    Outcome(
                        relation: $0, action: action($0), rowsBefore: before[$0.uniqueId] ?? nil,
                        rowsAfter: before[$0.uniqueId] ?? nil)
                },
                dryRun: true)
        }

        do throws(DatabaseError) {
            for relation in scope.holding.reversed() where relation.control == .table {
                guard let filter = filters[relation.uniqueId] else { continue }
                try session.execute("delete from \(relation.qualified) where \(filter.sql)", filter.parameters)
            }
            for relation in scope.holding + scope.withoutKey where relation.control == .materializedView {
                try session.execute("refresh materialized view \(relation.qualified)")
            }
            var outcomes: [Outcome] = []
            for relation in scope.holding {
                let after = try count(relation, filters, session)
                outcomes.append(
                    Outcome(
                        relation: relation, action: action(relation), rowsBefore: before[relation.uniqueId] ?? nil,
                        rowsAfter: after))
            }
            let remaining = outcomes.filter { $0.action == .deleted && $0.rowsAfter != 0 }
            if !remaining.isEmpty {
                let names = remaining.map {
                    "\($0.relation.displayName) (\($0.rowsAfter.map { "\($0) rows" } ?? "not readable"))"
                }.joined(separator: ", ")
                throw DatabaseError(
                    message:
                        "rgpd forget rolled back: rows of \(scope.subjects.map(\.description).joined(separator: " and ")) remain in \(names)"
                )
            }
            let report = Report(outcomes: outcomes, dryRun: false)
            if let ledger {
                try ledger.record(
                    try canonical(scope, session: session), rowsDeleted: report.rowsDeleted, session: session)
            }
            try session.executeScript("commit")
            return report
        } catch {
            _ = try? session.executeScript("rollback")
            throw error
        }
    }

    /// The subjects with their values in the canonical text form of the key column's type (`012`
    /// for an integer key becomes `12`), as rows render them when `reapply` hashes them.
    static func canonical(_ scope: RGPDScope, session: any DatabaseSession) throws(DatabaseError) -> [RGPDSubject] {
        var subjects: [RGPDSubject] = []
        for subject in scope.subjects {
            let type = scope.holding.lazy.filter { $0.link == nil }.compactMap { $0.columnTypes[subject.column] }.first
            guard let type else {
                subjects.append(subject)
                continue
            }
            let text = try session.execute("select cast(cast($1 as \(type)) as text)", [subject.value]).scalar
            subjects.append(RGPDSubject(column: subject.column, value: text ?? subject.value))
        }
        return subjects
    }

    static func action(_ relation: RGPDRelation) -> Outcome.Action {
        switch relation.control {
        case .table: return .deleted
        case .view: return .followsParents
        case .materializedView: return .refreshed
        case .source: return .notifyOwner
        }
    }

    /// Rows of the subject in one relation; nil when the relation is not readable (no filter).
    static func count(
        _ relation: RGPDRelation, _ filters: [String: RGPDRowFilter], _ session: any DatabaseSession
    ) throws(DatabaseError) -> Int? {
        guard let filter = filters[relation.uniqueId] else { return nil }
        let result = try session.execute(
            "select count(*) from \(relation.qualified) where \(filter.sql)", filter.parameters)
        return Int(result.scalar ?? "0") ?? 0
    }
}
