import ModelCompiler

/// Groups simple generic tests (`not_null`, `unique`, `accepted_values` of dbt-core) of one
/// model into one query that scans the model once and computes each test's failure count as
/// dbt's own test would count it:
/// - `not_null`: rows where the column is null;
/// - `accepted_values`: distinct non-null values outside the list (dbt groups by value);
/// - `unique`: distinct non-null values that occur more than once.
/// Tests with `where`, `limit`, `store_failures` or a custom `fail_calc`, tests of a model with
/// `test_changed_rows_only` (they read only its changed rows), and models with a single such test,
/// are left to run alone.
///
/// Not wired into `sqlt test`/`build` (measured, issue 15, 1,000,000 rows, 6 tests: 2 `unique`,
/// 3 `not_null`, 1 `accepted_values`): on one connection the shared query took 5.4-5.8 s against
/// 6.2-6.3 s for one query per test (8-13% less: only the row-level scans are shared, the
/// `unique` group-bys are 90% of the time); but the runner spreads tests over `--threads`
/// connections, and with 2 of them the six queries took 3.0-3.7 s while the shared query, one
/// backend, still took 4.8-5.2 s.
public enum SharedScanPlanner {
    /// One test of a group, with its configuration.
    public struct Member: Sendable {
        public var node: ManifestNode
        public var configuration: TestConfiguration
    }

    /// Tests of one model computed by one query; the query's one row has a column per member.
    public struct Group: Sendable {
        public var relation: String
        public var members: [Member]
        public var sql: String
    }

    public struct Plan: Sendable {
        public var groups: [Group]
        /// Tests that run one by one, in their given order.
        public var individual: [ManifestNode]
    }

    /// The check a test contributes, or nil when it cannot share a scan.
    enum Check {
        case notNull(column: String)
        case unique(column: String)
        case acceptedValues(column: String, values: [String])
    }

    static func check(for node: ManifestNode) -> Check? {
        guard let metadata = node.testMetadata, metadata.namespace == nil || metadata.namespace == "dbt" else {
            return nil
        }
        guard let column = metadata.kwargs["column_name"]?.stringValue ?? node.columnName, !column.isEmpty else {
            return nil
        }
        switch metadata.name {
        case "not_null": return .notNull(column: column)
        case "unique": return .unique(column: column)
        case "accepted_values":
            guard let values = metadata.kwargs["values"]?.arrayValue, !values.isEmpty else { return nil }
            let quote = metadata.kwargs["quote"]?.boolValue ?? true
            var literals: [String] = []
            for value in values {
                let text: String
                switch value {
                case .string(let s): text = s
                case .int(let i): text = String(i)
                case .double(let d): text = String(d)
                case .bool(let b): text = b ? "True" : "False"
                default: return nil
                }
                literals.append(quote ? quoteLiteral(text) : text)
            }
            return .acceptedValues(column: column, values: literals)
        default: return nil
        }
    }

    /// Whether a test's configuration allows sharing (nothing that changes its query).
    static func shareable(_ configuration: TestConfiguration) -> Bool {
        configuration.whereClause == nil && configuration.limit == nil && configuration.storeFailuresAs == nil
            && configuration.failCalc.lowercased().filter { !$0.isWhitespace } == "count(*)"
    }

    /// The relation the test checks: its attached node's, or its single parent's.
    static func relation(of node: ManifestNode, in manifest: Manifest) -> String? {
        let target = node.attachedNode ?? (node.dependsOn.nodes.count == 1 ? node.dependsOn.nodes.first : nil)
        guard let target else { return nil }
        return manifest.nodes[target]?.relationName ?? manifest.sources[target]?.relationName
    }

    /// Splits tests into shared-scan groups (two or more tests of one relation) and the rest.
    public static func plan(_ nodes: [ManifestNode], manifest: Manifest) -> Plan {
        var byRelation: [String: [(Member, Check)]] = [:]
        var order: [String] = []
        var individual: [ManifestNode] = []
        for node in nodes {
            guard let check = check(for: node), let relation = relation(of: node, in: manifest),
                let configuration = try? TestConfiguration(node: node), shareable(configuration),
                !(node.attachedNode.flatMap { manifest.nodes[$0] }.map(ChangedRowsScope.applies(to:)) ?? false)
            else {
                individual.append(node)
                continue
            }
            if byRelation[relation] == nil { order.append(relation) }
            byRelation[relation, default: []].append((Member(node: node, configuration: configuration), check))
        }
        var groups: [Group] = []
        for relation in order {
            let entries = byRelation[relation] ?? []
            if entries.count < 2 {
                individual += entries.map(\.0.node)
                continue
            }
            groups.append(
                Group(
                    relation: relation, members: entries.map(\.0),
                    sql: sql(relation: relation, checks: entries.map(\.1))))
        }
        // Keep the caller's order for the tests run one by one.
        let individualIds = Set(individual.map(\.uniqueId))
        return Plan(groups: groups, individual: nodes.filter { individualIds.contains($0.uniqueId) })
    }

    /// One aggregate scan of the relation for the row-level checks (`count(*) filter` for
    /// `not_null`; `count(distinct) filter` for `accepted_values`, which sorts only the failing
    /// values) and one grouped sub-aggregate per `unique` column, in one statement. (A
    /// materialized CTE read by every check was measured slower: it copies the whole relation.)
    static func sql(relation: String, checks: [Check]) -> String {
        var aggregates: [String] = []
        var uniques: [(name: String, column: String)] = []
        var outputs: [String] = []
        for (index, check) in checks.enumerated() {
            let name = "t\(index)"
            switch check {
            case .notNull(let column):
                aggregates.append("count(*) filter (where \(column) is null) as \(name)")
                outputs.append("row_checks.\(name)")
            case .acceptedValues(let column, let values):
                aggregates.append(
                    "count(distinct \(column)) filter (where \(column) not in (\(values.joined(separator: ", ")))) as \(name)"
                )
                outputs.append("row_checks.\(name)")
            case .unique(let column):
                uniques.append((name, column))
                outputs.append("\(name).failures as \(name)")
            }
        }
        var sources: [String] = []
        if !aggregates.isEmpty {
            sources.append(
                "(\n    select\n        " + aggregates.joined(separator: ",\n        ")
                    + "\n    from \(relation)\n) row_checks")
        }
        for unique in uniques {
            sources.append(
                "(\n    select count(*) as failures from (\n        select \(unique.column) from \(relation) "
                    + "where \(unique.column) is not null group by \(unique.column) having count(*) > 1\n    ) duplicated\n) \(unique.name)"
            )
        }
        return "select " + outputs.joined(separator: ", ") + "\nfrom " + sources.joined(separator: ",\n")
    }
}
