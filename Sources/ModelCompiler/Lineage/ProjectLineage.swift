/// The whole project's column graph (`target/lineage.json`): for every model column, its input
/// columns in upstream models, seeds and sources, how it is derived, and its privacy class.
public struct ProjectLineage: Codable, Sendable {
    public var generatedAt: String
    /// By unique id: models with their computed lineage; seeds and sources with their columns and declared pii.
    public var nodes: [String: NodeLineage]
    /// Masking functions in effect (lower case) and the class each outputs.
    public var maskingFunctions: [String: PrivacyClass]
    /// Unresolvable references and unreadable SQL, as `lineage.unresolved` warnings (not written to the file).
    public var warnings: [Diagnostic]

    public init(
        generatedAt: String, nodes: [String: NodeLineage], maskingFunctions: [String: PrivacyClass] = [:],
        warnings: [Diagnostic] = []
    ) {
        self.generatedAt = generatedAt
        self.nodes = nodes
        self.maskingFunctions = maskingFunctions
        self.warnings = warnings
    }

    enum CodingKeys: String, CodingKey {
        case nodes
        case generatedAt = "generated_at"
        case maskingFunctions = "masking_functions"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        generatedAt = try container.decode(String.self, forKey: .generatedAt)
        nodes = try container.decode([String: NodeLineage].self, forKey: .nodes)
        maskingFunctions = try container.decodeIfPresent([String: PrivacyClass].self, forKey: .maskingFunctions) ?? [:]
        warnings = []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(generatedAt, forKey: .generatedAt)
        try container.encode(nodes, forKey: .nodes)
        try container.encode(maskingFunctions, forKey: .maskingFunctions)
    }
}

/// The lineage of one node's output columns.
public struct NodeLineage: Codable, Sendable {
    public var uniqueId: String
    /// `model`, `seed`, `source` or `snapshot`.
    public var resourceType: String
    /// The relation in the database (`"schema"."alias"`), nil for ephemeral models.
    public var relationName: String?
    /// In output order.
    public var columns: [ColumnLineageEntry]
    /// References that could not be resolved (reported, never guessed), as `file:line:col: message`.
    public var issues: [String]
    /// Unique ids of the project nodes the SQL reads, in order of first appearance.
    public var inputNodes: [String]

    public init(
        uniqueId: String, resourceType: String = "model", relationName: String? = nil, columns: [ColumnLineageEntry],
        issues: [String], inputNodes: [String] = []
    ) {
        self.uniqueId = uniqueId
        self.resourceType = resourceType
        self.relationName = relationName
        self.columns = columns
        self.issues = issues
        self.inputNodes = inputNodes
    }

    /// The column with this name, if any.
    public func column(_ name: String) -> ColumnLineageEntry? { columns.first { $0.name == name } }

    enum CodingKeys: String, CodingKey {
        case columns, issues
        case uniqueId = "unique_id"
        case resourceType = "resource_type"
        case relationName = "relation_name"
        case inputNodes = "input_nodes"
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
    /// The class reaching the column from its inputs alone, before its own declaration.
    public var inherited: String
    /// The column's own `meta.pii` in its property file, if any.
    public var declared: String?

    public init(
        name: String, privacy: String, piiSources: [ColumnReference], inputs: [ColumnInputReference],
        inherited: String? = nil, declared: String? = nil
    ) {
        self.name = name
        self.privacy = privacy
        self.piiSources = piiSources
        self.inputs = inputs
        self.inherited = inherited ?? privacy
        self.declared = declared
    }

    /// The computed class as a value.
    public var privacyClass: PrivacyClass { PrivacyClass(pii: privacy) ?? .none }

    enum CodingKeys: String, CodingKey {
        case name, privacy, inputs, inherited, declared
        case piiSources = "pii_sources"
    }
}

/// A column of a node (`model.p.x` / `seed.p.y` / `source.p.s.t`).
public struct ColumnReference: Codable, Sendable, Hashable {
    public var node: String
    public var column: String
    /// The class declared at the origin (for pii sources), nil otherwise.
    public var privacy: String?

    public init(node: String, column: String, privacy: String? = nil) {
        self.node = node
        self.column = column
        self.privacy = privacy
    }

    /// `node.column`.
    public var description: String { "\(node).\(column)" }
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
    /// The masking functions on the way, lower case, sorted.
    public var maskedBy: [String]

    public init(
        node: String?, relation: String, column: String, type: String, subtype: String, masking: Bool,
        maskedBy: [String] = []
    ) {
        self.node = node
        self.relation = relation
        self.column = column
        self.type = type
        self.subtype = subtype
        self.masking = masking
        self.maskedBy = maskedBy
    }

    enum CodingKeys: String, CodingKey {
        case node, relation, column, type, subtype, masking
        case maskedBy = "masked_by"
    }
}
