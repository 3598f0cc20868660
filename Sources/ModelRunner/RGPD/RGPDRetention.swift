import ModelCompiler

/// Storage limitation: deletes rows older than each relation's `retention` in one transaction.
///
/// A seed, model or source declares `meta: {retention: {field: <date or timestamp column>,
/// keep: '<interval>'}}` (in its properties or in `config(meta=...)`); rows with
/// `field < now() - interval keep` are deleted from tables (seeds, table and incremental models,
/// sources). Views hold no rows (they follow their parents); materialized views are refreshed.
public enum RGPDRetention {
    /// A relation's retention rule.
    public struct Rule: Sendable, Hashable {
        public var uniqueId: String
        public var field: String
        public var keep: String
    }

    /// What happened (or would happen) to one relation.
    public struct Outcome: Sendable {
        public var rule: Rule
        /// `schema.name`, nil when the relation is not built.
        public var relation: RGPDRelation?
        /// Rows older than the retention (deleted unless dry run; 0 for views).
        public var expiredRows: Int
        /// What sqlt did: deleted, would delete, follows its parents (view), refreshed, not built.
        public var action: String
    }

    /// The retention rules of a manifest's seeds, models and sources, sorted by unique id.
    public static func rules(in manifest: Manifest) throws(Diagnostic) -> [Rule] {
        var rules: [Rule] = []
        for node in manifest.nodes.values where RGPDScope.isRelationNode(node) {
            if let rule = try rule(node.uniqueId, meta: node.meta, config: node.config) { rules.append(rule) }
        }
        for source in manifest.sources.values {
            if let rule = try rule(source.uniqueId, meta: source.meta, config: source.config) { rules.append(rule) }
        }
        return rules.sorted { $0.uniqueId < $1.uniqueId }
    }

    static func rule(_ id: String, meta: [String: JSONValue], config: NodeConfig) throws(Diagnostic) -> Rule? {
        guard let value = meta["retention"] ?? config["meta"]?["retention"] else { return nil }
        guard let field = value["field"]?.stringValue, !field.isEmpty, let keep = value["keep"]?.stringValue,
            !keep.isEmpty
        else {
            throw Diagnostic.error(
                "rgpd.retention", "invalid retention of \(id): expected {field: <column>, keep: '<interval>'}",
                hint: "for example meta: {retention: {field: date_debut, keep: '7 years'}}")
        }
        return Rule(uniqueId: id, field: field, keep: keep)
    }

    /// Incremental models and snapshots that descend from a relation with a retention but declare
    /// none: they keep their old rows however long the retention of their parents is.
    public static func unprotectedDescendants(manifest: Manifest, graph: DependencyGraph) throws(Diagnostic) -> [String]
    {
        let rules = try rules(in: manifest)
        let covered = Set(rules.map(\.uniqueId))
        return graph.descendants(of: covered).subtracting(covered).filter { id in
            guard let node = manifest.nodes[id], RGPDScope.isRelationNode(node) else { return false }
            return node.resourceType == .snapshot || node.materialization == .incremental
        }.sorted()
    }

    /// Applies (or, in a dry run, counts) every rule in one transaction, parents before children.
    public static func run(
        manifest: Manifest, graph: DependencyGraph, catalog: RelationListing, session: any DatabaseSession, dryRun: Bool
    ) throws -> [Outcome] {
        let rules = try rules(in: manifest)
        let scope = RGPDScope.resolve(subjects: [], manifest: manifest, graph: graph, catalog: catalog)
        let relations = Dictionary(scope.holding.map { ($0.uniqueId, $0) }, uniquingKeysWith: { first, _ in first })
        let order = graph.topologicalOrder(Set(rules.map(\.uniqueId)))
        let ordered =
            order.compactMap { id in rules.first { $0.uniqueId == id } } + rules.filter { !order.contains($0.uniqueId) }

        if !dryRun { try session.executeScript("begin") }
        do {
            var outcomes: [Outcome] = []
            for rule in ordered {
                guard let relation = relations[rule.uniqueId] else {
                    outcomes.append(Outcome(rule: rule, relation: nil, expiredRows: 0, action: "not built"))
                    continue
                }
                guard let type = relation.columnTypes[rule.field] else {
                    throw Diagnostic.error(
                        "rgpd.retention",
                        "retention field '\(rule.field)' of \(rule.uniqueId) is not a column of \(relation.displayName)"
                    )
                }
                let condition = "\(quoteIdentifier(rule.field)) < cast(now() - cast($1 as interval) as \(type))"
                let expired =
                    Int(
                        try session.execute(
                            "select count(*) from \(relation.qualified) where \(condition)", [rule.keep]
                        ).scalar ?? "0") ?? 0
                var action: String
                switch relation.control {
                case .table, .source:
                    action = dryRun ? "would delete" : "deleted"
                    if !dryRun {
                        try session.execute("delete from \(relation.qualified) where \(condition)", [rule.keep])
                    }
                case .view:
                    action = "view: follows its parents"
                case .materializedView:
                    action = dryRun ? "would refresh" : "refreshed"
                    if !dryRun { try session.execute("refresh materialized view \(relation.qualified)") }
                }
                outcomes.append(Outcome(rule: rule, relation: relation, expiredRows: expired, action: action))
            }
            if !dryRun { try session.executeScript("commit") }
            return outcomes
        } catch {
            if !dryRun { _ = try? session.executeScript("rollback") }
            throw error
        }
    }
}
