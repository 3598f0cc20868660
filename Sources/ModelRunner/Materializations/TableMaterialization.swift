import ModelCompiler

/// `table`: build `<name>__sqlt_tmp_<id>`, then in one transaction drop the old relation (after
/// the views depending on it, which the executor recreates in the same transaction), rename the
/// new one into place, run post-hooks, grants and comments. Any failure leaves the previous
/// relation in place, and nothing of the old one outlives the commit (no backup to leak).
public struct TableMaterialization: Materialization {
    public init() {}

    public func resultKind(_ input: MaterializationInput) -> RelationListing.Kind {
        (try? ModelSettings(node: input.node))?.partition == nil ? .table : .partitionedTable
    }

    public func stage(_ input: MaterializationInput) throws(Diagnostic) -> StagePlan {
        let settings = try ModelSettings(node: input.node)
        let staged = RelationNaming.temporary(input.name, suffix: input.suffix)
        let stagedName = qualifiedName(input.schema, staged)
        let unlogged = settings.unlogged ? "unlogged " : ""
        var statements = PlanFragments.hooks(settings.preHooks)
        statements.append(PlannedStatement("drop table if exists \(stagedName) cascade"))
        var onFailure = [PlannedStatement("drop table if exists \(stagedName) cascade")]
        if let partition = settings.partition {
            let rows = RelationNaming.withSuffix(input.name, "__sqlt_rows_\(input.suffix)")
            statements.append(PlannedStatement("create temporary table \(quoteIdentifier(rows)) as (\n\(input.sql)\n)"))
            statements.append(
                PlannedStatement(
                    // A partitioned parent cannot be unlogged (PostgreSQL 15); its default partition can.
                    "create table \(stagedName) (like \(quoteIdentifier(rows))) partition by range (\(quoteIdentifier(partition.field)))"
                ))
            statements.append(
                PlannedStatement(
                    Self.partitionsBlock(
                        schema: input.schema, parent: staged, rows: rows, partition: partition, prefix: input.name,
                        suffix: input.suffix
                    )))
            statements.append(
                PlannedStatement(
                    "create \(unlogged)table \(qualifiedName(input.schema, RelationNaming.withSuffix(input.name, "__\(input.suffix)_default"))) partition of \(stagedName) default"
                ))
            statements.append(
                PlannedStatement("insert into \(stagedName) select * from \(quoteIdentifier(rows))", reportsRows: true))
            statements.append(PlannedStatement("drop table \(quoteIdentifier(rows))"))
            onFailure.append(PlannedStatement("drop table if exists \(quoteIdentifier(rows))"))
        } else {
            statements.append(
                PlannedStatement("create \(unlogged)table \(stagedName) as (\n\(input.sql)\n)", reportsRows: true))
        }
        statements += PlanFragments.createIndexes(
            settings.indexes, schema: input.schema, relation: staged, finalName: input.name, suffix: input.suffix)
        return StagePlan(
            statements: statements,
            staged: StagedRelation(
                lookupName: stagedName, needsColumns: settings.contractEnforced || settings.persistColumnDocs),
            onFailure: onFailure
        )
    }

    public func swap(_ input: MaterializationInput, facts: StageFacts) throws(Diagnostic) -> SwapPlan {
        try Self.swapIntoPlace(input, facts: facts, kind: resultKind(input))
    }

    /// The swap shared by tables, views and rebuilt materialized views.
    static func swapIntoPlace(
        _ input: MaterializationInput, facts: StageFacts, kind: RelationListing.Kind
    ) throws(Diagnostic) -> SwapPlan {
        let settings = try ModelSettings(node: input.node)
        if settings.contractEnforced { try PlanFragments.checkContract(input.node, columns: facts.columns) }
        let staged = RelationNaming.temporary(input.name, suffix: input.suffix)
        var transaction: [PlannedStatement] = []
        if let existing = input.existing {
            // No cascade: the executor drops (and recreates) the dependent views first, so anything
            // else depending on the old relation makes the swap fail rather than vanish.
            transaction.append(
                PlannedStatement("drop \(PlanFragments.keyword(existing.kind)) if exists \(input.target)"))
        }
        transaction.append(
            PlannedStatement(
                "alter \(PlanFragments.keyword(kind)) \(qualifiedName(input.schema, staged)) rename to \(quoteIdentifier(input.name))"
            ))
        if kind != .view {
            transaction += PlanFragments.renameIndexes(
                settings.indexes, schema: input.schema, finalName: input.name, suffix: input.suffix)
        }
        transaction += PlanFragments.hooks(settings.postHooks)
        transaction += PlanFragments.grants(settings.grants, current: [:], relation: input.target)
        transaction += PlanFragments.comments(
            settings, node: input.node, kind: kind, relation: input.target, columns: facts.columns)
        return SwapPlan(
            transaction: transaction, replaces: input.existing == nil ? nil : input.target,
            onFailure: [
                PlannedStatement(
                    "drop \(PlanFragments.keyword(kind)) if exists \(qualifiedName(input.schema, staged)) cascade")
            ]
        )
    }

    /// A `do` block creating one range partition per day, month or year between the data's minimum
    /// and maximum of the partition column (`<name>__<id>_p<yyyymmdd>`).
    static func partitionsBlock(
        schema: String, parent: String, rows: String, partition: PartitionConfig, prefix: String, suffix: String
    ) -> String {
        let unit = partition.granularity
        let field = quoteIdentifier(partition.field)
        let partitionPrefix = RelationNaming.withSuffix(prefix, "__\(suffix)_pYYYYMMDD").dropLast(8)
        return """
            do $sqlt$
            declare
              low timestamp;
              high timestamp;
            begin
              select date_trunc(\(quoteLiteral(unit)), min(\(field))::timestamp), date_trunc(\(quoteLiteral(unit)), max(\(field))::timestamp)
                into low, high from \(quoteIdentifier(rows));
              while low is not null and low <= high loop
                execute format('create table %I.%I partition of %I.%I for values from (%L) to (%L)',
                  \(quoteLiteral(schema)), \(quoteLiteral(String(partitionPrefix))) || to_char(low, 'YYYYMMDD'), \(quoteLiteral(schema)), \(quoteLiteral(parent)),
                  low, low + interval \(quoteLiteral("1 \(unit)")));
                low := low + interval \(quoteLiteral("1 \(unit)"));
              end loop;
            end
            $sqlt$
            """
    }
}
