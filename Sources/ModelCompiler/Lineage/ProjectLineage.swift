/// The whole project's column graph (`target/lineage.json`): for every model column, its input
/// columns in upstream models, seeds and sources, how it is derived, and its privacy class.
public struct ProjectLineage: Codable, Sendable {
    public var generatedAt: String
    /// By unique id (models; seeds and sources appear as inputs, with their declared pii).
    public var nodes: [String: NodeLineage]

    public init(generatedAt: String, nodes: [String: NodeLineage]) {
        self.generatedAt = generatedAt
        self.nodes = nodes
    }

    enum CodingKeys: String, CodingKey {
        case nodes
        case generatedAt = "generated_at"
    }
}

/// The lineage of one node's output columns.
public struct NodeLineage: Codable, Sendable {
    public var uniqueId: String
    /// In output order.
    public var columns: [ColumnLineageEntry]
    /// References that could not be resolved (reported, never guessed).
    public var issues: [String]

    public init(uniqueId: String, columns: [ColumnLineageEntry], issues: [String]) {
        self.uniqueId = uniqueId
        self.columns = columns
        self.issues = issues
    }

    enum CodingKeys: String, CodingKey {
        case columns, issues
        case uniqueId = "unique_id"
    }
}

/// One output column.
public struct ColumnLineageEntry: Codable, Sendable {
    public var name: String
    /// Computed privacy class: none, indirect, sensitive or direct.
    public var privacy: String
    /// The seed or source columns whose personal data reaches this column.
    public var piiSources: [ColumnReference]
    public var inputs: [ColumnInputReference]

    public init(name: String, privacy: String, piiSources: [ColumnReference], inputs: [ColumnInputReference]) {
        self.name = name
        self.privacy = privacy
        self.piiSources = piiSources
        self.inputs = inputs
    }

    enum CodingKeys: String, CodingKey {
        case name, privacy, inputs
        case piiSources = "pii_sources"
    }
}

/// A column of a node (`model.p.x` / `seed.p.y` / `source.p.s.t`).
public struct ColumnReference: Codable, Sendable, Hashable {
    public var node: String
    public var column: String

    public init(node: String, column: String) {
        self.node = node
        self.column = column
    }
}

/// An input edge, with OpenLineage's transformation type and subtype.
public struct ColumnInputReference: Codable, Sendable, Hashable {
    /// Unique id of the upstream node, or nil when the relation is not part of the project.
    public var node: String?
    /// The relation as written in the SQL.
    public var relation: String
    public var column: String
    /// DIRECT or INDIRECT.
    public var type: String
    /// IDENTITY, TRANSFORMATION, AGGREGATION, JOIN, FILTER, GROUP_BY, SORT, WINDOW, CONDITIONAL.
    public var subtype: String
    public var masking: Bool

    public init(node: String?, relation: String, column: String, type: String, subtype: String, masking: Bool) {
        self.node = node
        self.relation = relation
        self.column = column
        self.type = type
        self.subtype = subtype
        self.masking = masking
    }
}
