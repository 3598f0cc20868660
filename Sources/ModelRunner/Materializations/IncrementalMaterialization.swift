import ModelCompiler

/// `incremental`: the first run and `--full-refresh` build like `table`; later runs stage the new
/// rows in a temp table and apply them in one transaction by `incremental_strategy`.
///
/// `merge` uses PostgreSQL 15 `MERGE` (as dbt-postgres does): it needs no unique index on the
/// key, so it works on tables built before `unique_key` was set, and it fails loudly when the new
/// rows hold a key twice instead of silently keeping one of them.
public struct IncrementalMaterialization: Materialization {
    public init() {}

    /// Whether this run builds the relation from scratch.
    public static func buildsFromScratch(_ input: MaterializationInput) -> Bool {
        guard let existing = input.existing, !input.fullRefresh else { return true }
        return existing.kind != .table && existing.kind != .partitionedTable
    }

    public func resultKind(_ input: MaterializationInput) -> RelationListing.Kind {
        Self.buildsFromScratch(input) ? TableMaterialization().resultKind(input) : (input.existing?.kind ?? .table)
    }

    /// `merge` when `unique_key` is set, else `append`; checked against the known strategies.
    static func strategy(_ input: MaterializationInput) throws(Diagnostic) -> IncrementalStrategy {
        try IncrementalStrategy(config: input.config, file: input.node.originalFilePath)
    }

    public func stage(_ input: MaterializationInput) throws(Diagnostic) -> StagePlan {
        if Self.buildsFromScratch(input) { return try TableMaterialization().stage(input) }
        _ = try Self.strategy(input)
        let settings = try ModelSettings(node: input.node)
        let temp = quoteIdentifier(RelationNaming.temporary(input.name, suffix: input.suffix))
        var statements = PlanFragments.hooks(settings.preHooks)
        statements.append(PlannedStatement("drop table if exists \(temp)"))
        statements.append(PlannedStatement("create temporary table \(temp) as (\n\(input.sql)\n)"))
        return StagePlan(
            statements: statements, staged: StagedRelation(lookupName: temp, needsColumns: true),
            onFailure: [PlannedStatement("drop table if exists \(temp)")]
        )
    }

    public func swap(_ input: MaterializationInput, facts: StageFacts) throws(Diagnostic) -> SwapPlan {
        if Self.buildsFromScratch(input) {
            var plan = try TableMaterialization().swap(input, facts: facts)
            plan.transaction += Self.recordChanges(input, from: input.target, allRows: true)
            return plan
        }
        let settings = try ModelSettings(node: input.node)
        if settings.contractEnforced { try PlanFragments.checkContract(input.node, columns: facts.columns) }
        let strategy = try Self.strategy(input)
        let existingColumns = (input.existing?.columns ?? []).map { ColumnShape($0.name, $0.type) }
        let change = SchemaChange(existing: existingColumns, incoming: facts.columns)
        let mode = try OnSchemaChange(config: input.config, file: input.node.originalFilePath)
        var transaction: [PlannedStatement] = []
        let columns: [String]
        switch mode {
        case .ignore:
            columns = existingColumns.map(\.name)
        case .fail:
            if !change.isEmpty {
                throw Diagnostic.error(
                    "schema-change",
                    "the columns of incremental model \(input.node.name) changed and on_schema_change is 'fail': \(change.summary); run with --full-refresh or set on_schema_change to append_new_columns or sync_all_columns",
                    at: SourceLocation(file: input.node.originalFilePath, line: 1, column: 1)
                )
            }
            columns = existingColumns.map(\.name)
        case .appendNewColumns:
            transaction += change.added.map {
                PlannedStatement("alter table \(input.target) add column \(quoteIdentifier($0.name)) \($0.type)")
            }
            // As dbt: the staged columns (columns only the table has keep their defaults).
            columns = facts.columns.map(\.name)
        case .syncAllColumns:
            transaction += change.added.map {
                PlannedStatement("alter table \(input.target) add column \(quoteIdentifier($0.name)) \($0.type)")
            }
            transaction += change.removed.map {
                PlannedStatement("alter table \(input.target) drop column \(quoteIdentifier($0.name))")
            }
            transaction += change.retyped.map {
                PlannedStatement(
                    "alter table \(input.target) alter column \(quoteIdentifier($0.name)) type \($0.type) using \(quoteIdentifier($0.name))::\($0.type)"
                )
            }
            columns = facts.columns.map(\.name)
        }
        let temp = quoteIdentifier(RelationNaming.temporary(input.name, suffix: input.suffix))
        transaction += Self.apply(
            strategy: strategy, target: input.target, temp: temp, columns: columns,
            uniqueKey: input.config.uniqueKey, predicates: settings.incrementalPredicates
        )
        transaction += PlanFragments.hooks(settings.postHooks)
        transaction += Self.recordChanges(input, from: temp, allRows: false)
        transaction += PlanFragments.grants(settings.grants, current: facts.currentGrants, relation: input.target)
        transaction += PlanFragments.comments(
            settings, node: input.node, kind: .table, relation: input.target, columns: facts.columns)
        return SwapPlan(
            transaction: transaction, cleanup: [PlannedStatement("drop table if exists \(temp)")],
            onFailure: [PlannedStatement("drop table if exists \(temp)")]
        )
    }

    /// With `test_changed_rows_only`: `<model>__sqlt_changed` replaced by the keys this run wrote
    /// (the staged rows' distinct keys), or by one `sqlt_all_rows` row after a build from scratch,
    /// in the run's transaction, so the model's tests read exactly the rows it changed.
    static func recordChanges(_ input: MaterializationInput, from source: String, allRows: Bool) -> [PlannedStatement] {
        guard ChangedRowsScope.applies(to: input.node) else { return [] }
        let changes = qualifiedName(input.schema, ChangedRowsScope.tableName(input.name))
        let keys = input.config.uniqueKey.map(quoteIdentifier).joined(separator: ", ")
        let flag = quoteIdentifier(ChangedRowsScope.allRowsColumn)
        var statements = [PlannedStatement("drop table if exists \(changes)")]
        if allRows {
            statements.append(
                PlannedStatement("create table \(changes) as select \(keys), true as \(flag) from \(source) limit 0"))
            statements.append(PlannedStatement("insert into \(changes) (\(flag)) values (true)"))
        } else {
            statements.append(
                PlannedStatement("create table \(changes) as select distinct \(keys), false as \(flag) from \(source)"))
            statements.append(PlannedStatement("analyze \(changes)"))
        }
        return statements
    }

    /// The statements of one strategy; the target is `DBT_INTERNAL_DEST` and the new rows
    /// `DBT_INTERNAL_SOURCE`, as in dbt, so `incremental_predicates` can name either.
    static func apply(
        strategy: IncrementalStrategy, target: String, temp: String, columns: [String], uniqueKey: [String],
        predicates: [String]
    ) -> [PlannedStatement] {
        let list = columns.map(quoteIdentifier).joined(separator: ", ")
        let insert = PlannedStatement(
            "insert into \(target) (\(list))\n(select \(list) from \(temp))", reportsRows: true)
        let keyMatch = uniqueKey.map {
            "DBT_INTERNAL_SOURCE.\(quoteIdentifier($0)) = DBT_INTERNAL_DEST.\(quoteIdentifier($0))"
        }
        let extra = predicates.map { "(\($0))" }
        switch strategy {
        case .merge:
            let on = (extra + (keyMatch.isEmpty ? ["FALSE"] : ["(" + keyMatch.joined(separator: " and ") + ")"]))
                .joined(separator: " and ")
            var sql = "merge into \(target) as DBT_INTERNAL_DEST\nusing \(temp) as DBT_INTERNAL_SOURCE\non \(on)"
            if !keyMatch.isEmpty {
                let set = columns.map { "\(quoteIdentifier($0)) = DBT_INTERNAL_SOURCE.\(quoteIdentifier($0))" }.joined(
                    separator: ", ")
                sql += "\nwhen matched then update set \(set)"
            }
            let values = columns.map { "DBT_INTERNAL_SOURCE.\(quoteIdentifier($0))" }.joined(separator: ", ")
            sql += "\nwhen not matched then insert (\(list))\nvalues (\(values))"
            return [PlannedStatement(sql, reportsRows: true)]
        case .deleteInsert:
            let condition = (["(" + keyMatch.joined(separator: " and ") + ")"] + extra).joined(separator: "\n  and ")
            return [
                PlannedStatement(
                    "delete from \(target) as DBT_INTERNAL_DEST\nusing \(temp) as DBT_INTERNAL_SOURCE\nwhere \(condition)"
                ),
                insert,
            ]
        case .append:
            return [insert]
        }
    }
}

/// How the staged columns of an incremental model differ from its table's.
public struct SchemaChange: Sendable, Hashable {
    public var added: [ColumnShape]
    public var removed: [ColumnShape]
    /// Columns in both whose type changed, with the new type.
    public var retyped: [ColumnShape]

    public init(existing: [ColumnShape], incoming: [ColumnShape]) {
        let existingTypes = Dictionary(existing.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
        let incomingNames = Set(incoming.map(\.name))
        added = incoming.filter { existingTypes[$0.name] == nil }
        removed = existing.filter { !incomingNames.contains($0.name) }
        retyped = incoming.filter { column in
            existingTypes[column.name].map { TypeNames.normalize($0) != TypeNames.normalize(column.type) } ?? false
        }
    }

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && retyped.isEmpty }

    /// `added columns [a, b]; removed columns [c]; changed types [d: text]`.
    public var summary: String {
        var parts: [String] = []
        if !added.isEmpty { parts.append("added columns [\(added.map(\.name).joined(separator: ", "))]") }
        if !removed.isEmpty { parts.append("removed columns [\(removed.map(\.name).joined(separator: ", "))]") }
        if !retyped.isEmpty {
            parts.append("changed types [\(retyped.map { "\($0.name): \($0.type)" }.joined(separator: ", "))]")
        }
        return parts.joined(separator: "; ")
    }
}
