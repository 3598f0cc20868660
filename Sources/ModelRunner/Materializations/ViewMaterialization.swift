import ModelCompiler

/// `view`: rebuilt in place with `create or replace view` when the new columns extend the old
/// ones (same names and types first, new columns last: PostgreSQL's rule), which is atomic and
/// keeps the views built on it. Otherwise (PostgreSQL refuses with SQLSTATE 42P16, or the
/// relation is not a view) sqlt builds `<name>__sqlt_tmp_<id>` and swaps it in inside one
/// transaction that drops the old relation and recreates the views depending on it.
public struct ViewMaterialization: Materialization {
    public init() {}

    /// The SQLSTATE of `create or replace view` refusing a column change (`invalid_table_definition`).
    public static let incompatibleColumns = "42P16"

    public func resultKind(_ input: MaterializationInput) -> RelationListing.Kind { .view }

    /// Whether the in-place path applies: the relation is missing or already a view.
    public func replacesInPlace(_ input: MaterializationInput) -> Bool {
        input.existing == nil || input.existing?.kind == .view
    }

    /// Pre-hooks, run outside the transaction before either path.
    public func preHooks(_ input: MaterializationInput) throws(Diagnostic) -> [PlannedStatement] {
        PlanFragments.hooks(try ModelSettings(node: input.node).preHooks)
    }

    /// The first statement of the in-place transaction.
    public func createOrReplace(_ input: MaterializationInput) -> PlannedStatement {
        PlannedStatement("create or replace view \(input.target) as (\n\(input.sql)\n)", reportsRows: true)
    }

    /// Whether the in-place path needs the view's columns (contract, column comments) after
    /// `create or replace view`.
    public func needsColumns(_ input: MaterializationInput) throws(Diagnostic) -> Bool {
        let settings = try ModelSettings(node: input.node)
        return settings.contractEnforced || settings.persistColumnDocs
    }

    /// The rest of the in-place transaction: contract check, post-hooks, grants as a difference
    /// with `facts.currentGrants` (the view keeps its privileges), comments.
    public func finishInPlace(_ input: MaterializationInput, facts: StageFacts) throws(Diagnostic) -> [PlannedStatement]
    {
        let settings = try ModelSettings(node: input.node)
        if settings.contractEnforced { try PlanFragments.checkContract(input.node, columns: facts.columns) }
        var statements = PlanFragments.hooks(settings.postHooks)
        statements += PlanFragments.grants(settings.grants, current: facts.currentGrants, relation: input.target)
        statements += PlanFragments.comments(
            settings, node: input.node, kind: .view, relation: input.target, columns: facts.columns)
        return statements
    }

    public func stage(_ input: MaterializationInput) throws(Diagnostic) -> StagePlan {
        try stage(input, includingPreHooks: true)
    }

    /// The staged build; without pre-hooks when the in-place path already ran them.
    public func stage(_ input: MaterializationInput, includingPreHooks: Bool) throws(Diagnostic) -> StagePlan {
        let staged = qualifiedName(input.schema, RelationNaming.temporary(input.name, suffix: input.suffix))
        var statements = includingPreHooks ? try preHooks(input) : []
        statements.append(PlannedStatement("drop view if exists \(staged) cascade"))
        statements.append(PlannedStatement("create view \(staged) as (\n\(input.sql)\n)", reportsRows: true))
        return StagePlan(
            statements: statements,
            staged: StagedRelation(lookupName: staged, needsColumns: try needsColumns(input)),
            onFailure: [PlannedStatement("drop view if exists \(staged) cascade")]
        )
    }

    public func swap(_ input: MaterializationInput, facts: StageFacts) throws(Diagnostic) -> SwapPlan {
        try TableMaterialization.swapIntoPlace(input, facts: facts, kind: .view)
    }
}
