import ModelCompiler

/// `materialized_view`: created under a temporary name with its indexes and swapped in; later runs
/// `refresh materialized view` (`concurrently` when a unique index is configured) unless the SQL
/// changed (its server-normalised definition differs from a probe view's) or this is a full
/// refresh, which rebuild and swap.
public struct MaterializedViewMaterialization: Materialization {
    public init() {}

    public func resultKind(_ input: MaterializationInput) -> RelationListing.Kind { .materializedView }

    /// Whether the existing materialized view can be refreshed in place (decided before the probe).
    static func mayRefresh(_ input: MaterializationInput) -> Bool {
        input.existing?.kind == .materializedView && !input.fullRefresh
    }

    public func stage(_ input: MaterializationInput) throws(Diagnostic) -> StagePlan {
        let settings = try ModelSettings(node: input.node)
        var statements = PlanFragments.hooks(settings.preHooks)
        if Self.mayRefresh(input) {
            let probe = quoteIdentifier(RelationNaming.probe(input.name, suffix: input.suffix))
            statements.append(PlannedStatement("drop view if exists \(probe)"))
            statements.append(PlannedStatement("create temporary view \(probe) as (\n\(input.sql)\n)"))
            return StagePlan(
                statements: statements,
                staged: StagedRelation(
                    lookupName: input.target, needsColumns: settings.persistColumnDocs || settings.contractEnforced),
                definitionProbe: probe,
                onFailure: [PlannedStatement("drop view if exists \(probe)")]
            )
        }
        return try Self.build(input, settings: settings, prefix: statements)
    }

    /// Statements creating `<name>__sqlt_tmp_<id>` with its indexes.
    static func build(
        _ input: MaterializationInput, settings: ModelSettings, prefix: [PlannedStatement]
    ) throws(Diagnostic) -> StagePlan {
        let staged = RelationNaming.temporary(input.name, suffix: input.suffix)
        let stagedName = qualifiedName(input.schema, staged)
        var statements = prefix
        statements.append(PlannedStatement("drop materialized view if exists \(stagedName) cascade"))
        statements.append(
            PlannedStatement("create materialized view \(stagedName) as (\n\(input.sql)\n)", reportsRows: true))
        statements += PlanFragments.createIndexes(
            settings.indexes, schema: input.schema, relation: staged, finalName: input.name, suffix: input.suffix)
        return StagePlan(
            statements: statements,
            staged: StagedRelation(
                lookupName: stagedName, needsColumns: settings.contractEnforced || settings.persistColumnDocs),
            onFailure: [PlannedStatement("drop materialized view if exists \(stagedName) cascade")]
        )
    }

    /// When the probe shows a changed definition, the executor asks for this rebuild stage instead.
    public func rebuildStage(_ input: MaterializationInput) throws(Diagnostic) -> StagePlan {
        try Self.build(input, settings: try ModelSettings(node: input.node), prefix: [])
    }

    public func swap(_ input: MaterializationInput, facts: StageFacts) throws(Diagnostic) -> SwapPlan {
        let settings = try ModelSettings(node: input.node)
        let probe = quoteIdentifier(RelationNaming.probe(input.name, suffix: input.suffix))
        guard Self.mayRefresh(input), facts.definitionUnchanged == true else {
            var plan = try TableMaterialization.swapIntoPlace(input, facts: facts, kind: .materializedView)
            if Self.mayRefresh(input) { plan.cleanup.append(PlannedStatement("drop view if exists \(probe)")) }
            return plan
        }
        if settings.contractEnforced { try PlanFragments.checkContract(input.node, columns: facts.columns) }
        let concurrently = settings.indexes.contains(where: \.unique) ? "concurrently " : ""
        var transaction = [
            PlannedStatement("refresh materialized view \(concurrently)\(input.target)", reportsRows: true)
        ]
        transaction += PlanFragments.hooks(settings.postHooks)
        transaction += PlanFragments.grants(settings.grants, current: facts.currentGrants, relation: input.target)
        transaction += PlanFragments.comments(
            settings, node: input.node, kind: .materializedView, relation: input.target, columns: facts.columns)
        return SwapPlan(
            transaction: transaction, cleanup: [PlannedStatement("drop view if exists \(probe)")],
            onFailure: [PlannedStatement("drop view if exists \(probe)")]
        )
    }
}
