import ModelCompiler

/// `view`: `create or replace view` fails when columns are removed, renamed or retyped, so sqlt
/// always builds `<name>__sqlt_tmp_<id>` and swaps it in by rename in one transaction (as
/// dbt-postgres does), dropping the old view after the commit.
public struct ViewMaterialization: Materialization {
    public init() {}

    public func resultKind(_ input: MaterializationInput) -> CatalogSnapshot.Kind { .view }

    public func stage(_ input: MaterializationInput) throws(Diagnostic) -> StagePlan {
        let settings = try ModelSettings(node: input.node)
        let staged = qualifiedName(input.schema, RelationNaming.temporary(input.name, suffix: input.suffix))
        var statements = PlanFragments.hooks(settings.preHooks)
        statements.append(PlannedStatement("drop view if exists \(staged) cascade"))
        statements.append(PlannedStatement("create view \(staged) as (\n\(input.sql)\n)", reportsRows: true))
        return StagePlan(
            statements: statements,
            staged: StagedRelation(lookupName: staged, needsColumns: settings.contractEnforced || settings.persistColumnDocs),
            onFailure: [PlannedStatement("drop view if exists \(staged) cascade")]
        )
    }

    public func swap(_ input: MaterializationInput, facts: StageFacts) throws(Diagnostic) -> SwapPlan {
        try TableMaterialization.swapIntoPlace(input, facts: facts, kind: .view)
    }
}
