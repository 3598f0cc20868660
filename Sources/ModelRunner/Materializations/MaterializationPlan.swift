import ModelCompiler

/// One SQL statement of a plan; `reportsRows` marks the statement whose command tag is the node's result.
public struct PlannedStatement: Sendable, Hashable {
    public var sql: String
    public var reportsRows: Bool
    public init(_ sql: String, reportsRows: Bool = false) {
        self.sql = sql
        self.reportsRows = reportsRows
    }
}

/// What must be known about the staged relation before the swap can be planned.
public struct StagedRelation: Sendable, Hashable {
    /// Name to look up (`"schema"."name"`, or a bare quoted name for temp tables).
    public var lookupName: String
    /// Whether the staged columns must be read (contracts, schema changes, column comments).
    public var needsColumns: Bool
    public init(lookupName: String, needsColumns: Bool) {
        self.lookupName = lookupName
        self.needsColumns = needsColumns
    }
}

/// The first phase of a materialization: statements run outside any transaction (pre-hooks, building
/// the new relation under a temporary name).
public struct StagePlan: Sendable, Hashable {
    public var statements: [PlannedStatement]
    /// The relation built by `statements`, inspected before `SwapPlan` is made.
    public var staged: StagedRelation?
    /// Materialized views: a temporary view of the new SQL to compare with the existing definition.
    public var definitionProbe: String?
    /// Statements that remove what `statements` created, run when anything fails.
    public var onFailure: [PlannedStatement]
    public init(
        statements: [PlannedStatement], staged: StagedRelation? = nil, definitionProbe: String? = nil,
        onFailure: [PlannedStatement] = []
    ) {
        self.statements = statements
        self.staged = staged
        self.definitionProbe = definitionProbe
        self.onFailure = onFailure
    }
}

/// The second phase: statements run in ONE transaction (swap, post-hooks, grants, comments), then
/// cleanup after the commit, or `onFailure` after a rollback.
public struct SwapPlan: Sendable, Hashable {
    public var transaction: [PlannedStatement]
    public var cleanup: [PlannedStatement]
    public var onFailure: [PlannedStatement]
    /// The relation `transaction` drops and replaces (qualified): the executor drops the views
    /// depending on it before `transaction` and recreates them after it, in the same transaction.
    public var replaces: String?
    public init(
        transaction: [PlannedStatement], cleanup: [PlannedStatement] = [], replaces: String? = nil,
        onFailure: [PlannedStatement] = []
    ) {
        self.transaction = transaction
        self.cleanup = cleanup
        self.replaces = replaces
        self.onFailure = onFailure
    }
}

/// Facts gathered by the executor between the two phases.
public struct StageFacts: Sendable, Hashable {
    /// Columns of the staged relation (name, `format_type`), in order.
    public var columns: [ColumnShape]
    /// Privileges currently granted on the relation that stays in place (`privilege` → roles);
    /// empty when the relation is replaced by a new one.
    public var currentGrants: [String: Set<String>]
    /// Materialized views: whether the new SQL's definition equals the existing one.
    public var definitionUnchanged: Bool?
    public init(
        columns: [ColumnShape] = [], currentGrants: [String: Set<String>] = [:], definitionUnchanged: Bool? = nil
    ) {
        self.columns = columns
        self.currentGrants = currentGrants
        self.definitionUnchanged = definitionUnchanged
    }
}

/// A column name with its formatted type.
public struct ColumnShape: Sendable, Hashable {
    public var name: String
    public var type: String
    public init(_ name: String, _ type: String) {
        self.name = name
        self.type = type
    }
}

/// Everything a materialization plans from.
public struct MaterializationInput: Sendable {
    public var node: ManifestNode
    /// The final SELECT for this run.
    public var sql: String
    /// The relation as the catalog showed it when the run started (nil: missing).
    public var existing: RelationListing.Relation?
    public var fullRefresh: Bool
    /// Short invocation id used in temporary and backup names.
    public var suffix: String

    public init(node: ManifestNode, sql: String, existing: RelationListing.Relation?, fullRefresh: Bool, suffix: String)
    {
        self.node = node
        self.sql = sql
        self.existing = existing
        self.fullRefresh = fullRefresh
        self.suffix = suffix
    }

    public var schema: String { node.schema }
    public var name: String { node.alias }
    public var target: String { qualifiedName(node.schema, node.alias) }
    public var config: NodeConfig { node.config }
}

/// Plans the SQL of one materialization in two phases; a separate executor runs the plans.
public protocol Materialization: Sendable {
    /// Statements building the new relation (outside a transaction).
    func stage(_ input: MaterializationInput) throws(Diagnostic) -> StagePlan
    /// Statements run in one transaction once the staged relation is known.
    func swap(_ input: MaterializationInput, facts: StageFacts) throws(Diagnostic) -> SwapPlan
    /// The node's relation kind after this run (for `CREATE`-style messages).
    func resultKind(_ input: MaterializationInput) -> RelationListing.Kind
}
