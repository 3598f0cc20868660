import ModelCompiler

/// `snapshot` (SCD type 2, dbt-postgres' semantics): the snapshot query is staged once in a
/// temporary table; then, in ONE transaction, the first run creates the table with the dbt_*
/// columns, and later runs widen string columns and add new source columns as dbt does, compute the changes (`SnapshotChangeSQL`),
/// close the versions that changed or disappeared and insert the new ones. A failure rolls the
/// transaction back and leaves the snapshot table as it was. `--full-refresh` never rebuilds a
/// snapshot (its history cannot be rebuilt from the source).
public struct SnapshotMaterialization: Materialization {
    public init() {}

    public func resultKind(_ input: MaterializationInput) -> RelationListing.Kind { .table }

    /// The temporary table holding the snapshot query's rows for this run.
    static func sourceTable(_ input: MaterializationInput) -> String {
        quoteIdentifier(RelationNaming.temporary(input.name, suffix: input.suffix))
    }

    static func settings(_ input: MaterializationInput) throws(Diagnostic) -> SnapshotSettings {
        try SnapshotSettings(
            config: input.config,
            location: input.node.declaredAt ?? SourceLocation(file: input.node.originalFilePath, line: 1, column: 1))
    }

    public func stage(_ input: MaterializationInput) throws(Diagnostic) -> StagePlan {
        _ = try Self.settings(input)
        if let existing = input.existing, existing.kind != .table {
            throw Diagnostic.error(
                "snapshot.not-table",
                "snapshot \(input.node.name): \(input.schema).\(input.name) exists but is not a table",
                at: input.node.declaredAt ?? SourceLocation(file: input.node.originalFilePath, line: 1, column: 1),
                hint: "drop it, or give the snapshot another alias or schema")
        }
        let model = try ModelSettings(node: input.node)
        let source = Self.sourceTable(input)
        var statements = PlanFragments.hooks(model.preHooks)
        statements.append(PlannedStatement("drop table if exists \(source)"))
        statements.append(PlannedStatement("create temporary table \(source) as (\n\(input.sql)\n)"))
        return StagePlan(
            statements: statements, staged: StagedRelation(lookupName: source, needsColumns: true),
            onFailure: [PlannedStatement("drop table if exists \(source)")])
    }

    public func swap(_ input: MaterializationInput, facts: StageFacts) throws(Diagnostic) -> SwapPlan {
        let settings = try Self.settings(input)
        let model = try ModelSettings(node: input.node)
        let source = Self.sourceTable(input)
        let sql = SnapshotChangeSQL(
            settings: settings, target: input.target, source: source, sourceColumns: facts.columns)
        for name in [
            settings.columns.scdId, settings.columns.updatedAt, settings.columns.validFrom, settings.columns.validTo,
        ]
        where facts.columns.contains(where: { $0.name == name }) {
            throw Diagnostic.error(
                "snapshot.column-clash",
                "the query of snapshot \(input.node.name) returns a column named '\(name)', which the snapshot adds itself",
                at: input.node.declaredAt ?? SourceLocation(file: input.node.originalFilePath, line: 1, column: 1),
                hint: "rename the column, or set snapshot_meta_column_names")
        }
        var transaction: [PlannedStatement] = []
        if let existing = input.existing {
            let targetColumns = existing.columns.map { ColumnShape($0.name, $0.type) }
            let names = settings.columns
            let missing = [names.scdId, names.updatedAt, names.validFrom, names.validTo].filter { name in
                !targetColumns.contains { $0.name == name }
            }
            if !missing.isEmpty {
                throw Diagnostic.error(
                    "snapshot.not-snapshot",
                    "\(input.schema).\(input.name) is not a snapshot table of snapshot \(input.node.name): it has no column \(missing.joined(separator: ", "))",
                    at: input.node.declaredAt ?? SourceLocation(file: input.node.originalFilePath, line: 1, column: 1),
                    hint: "snapshot_meta_column_names must name the columns the table was built with")
            }
            transaction += sql.expandStringColumns(target: targetColumns)
            transaction += sql.addMissingColumns(target: targetColumns)
            let staging = quoteIdentifier(RelationNaming.withSuffix(input.name, "__sqlt_stg_\(input.suffix)"))
            transaction.append(
                PlannedStatement(
                    "create temporary table \(staging) on commit drop as (\n\(sql.changes(targetColumns: targetColumns))\n)"
                ))
            transaction.append(PlannedStatement(sql.closeVersions(staging: staging)))
            transaction.append(
                PlannedStatement(sql.insertVersions(staging: staging, targetColumns: targetColumns), reportsRows: true))
        } else {
            transaction.append(
                PlannedStatement("create table \(input.target) as (\n\(sql.initialSelect())\n)", reportsRows: true))
        }
        transaction += PlanFragments.hooks(model.postHooks)
        transaction += PlanFragments.grants(model.grants, current: facts.currentGrants, relation: input.target)
        transaction += PlanFragments.comments(
            model, node: input.node, kind: .table, relation: input.target, columns: facts.columns)
        return SwapPlan(
            transaction: transaction, cleanup: [PlannedStatement("drop table if exists \(source)")],
            onFailure: [PlannedStatement("drop table if exists \(source)")])
    }
}
