/// Output of analysis for one model.
public struct ModelLineage: Codable, Sendable, Hashable {
    /// One entry per output column, in output order.
    public var columns: [ColumnLineage]
    /// Ambiguous or unresolvable references, never guessed.
    public var issues: [LineageIssue]
    /// Every relation read (tables, views, sources; not CTEs), in order of first appearance, for INDIRECT edges.
    public var datasetInputs: [RelationRef]

    public init(columns: [ColumnLineage] = [], issues: [LineageIssue] = [], datasetInputs: [RelationRef] = []) {
        self.columns = columns
        self.issues = issues
        self.datasetInputs = datasetInputs
    }

    /// The lineage of the output column with this name, if any.
    public func column(_ name: String) -> ColumnLineage? {
        columns.first { $0.name == name }
    }
}

/// The inputs of one output column.
public struct ColumnLineage: Codable, Sendable, Hashable {
    public var name: String
    /// DIRECT inputs first, then INDIRECT ones, each in order of first appearance, without duplicates.
    public var inputs: [ColumnInput]

    public init(name: String, inputs: [ColumnInput]) {
        self.name = name
        self.inputs = inputs
    }
}

/// One edge of OpenLineage's column-lineage facet: an input column and how it reaches the output.
public struct ColumnInput: Codable, Sendable, Hashable, CustomStringConvertible {
    public var relation: RelationRef
    public var column: String
    /// `DIRECT` or `INDIRECT`.
    public var type: String
    /// DIRECT: `IDENTITY`, `TRANSFORMATION`, `AGGREGATION`; INDIRECT: `JOIN`, `FILTER`, `GROUP_BY`, `SORT`, `WINDOW`, `CONDITIONAL`.
    public var subtype: String
    /// True when the value goes through a masking function (hash, pseudonymisation, `count`).
    public var masking: Bool
    /// The masking functions the value goes through, lower case and sorted; empty when `masking` is false.
    public var maskedBy: [String]

    public init(
        relation: RelationRef, column: String, type: String, subtype: String, masking: Bool = false,
        maskedBy: [String] = []
    ) {
        self.relation = relation
        self.column = column
        self.type = type
        self.subtype = subtype
        self.masking = masking || !maskedBy.isEmpty
        self.maskedBy = maskedBy
    }

    enum CodingKeys: String, CodingKey { case relation, column, type, subtype, masking, maskedBy }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        relation = try container.decode(RelationRef.self, forKey: .relation)
        column = try container.decode(String.self, forKey: .column)
        type = try container.decode(String.self, forKey: .type)
        subtype = try container.decode(String.self, forKey: .subtype)
        masking = try container.decodeIfPresent(Bool.self, forKey: .masking) ?? false
        maskedBy = try container.decodeIfPresent([String].self, forKey: .maskedBy) ?? []
    }

    /// For example `raw.orders.amount DIRECT/AGGREGATION masked`.
    public var description: String {
        "\(relation).\(column) \(type)/\(subtype)" + (masking ? " masked" : "")
    }
}

/// A relation as written in the SQL, unquoted; the integrator maps it to a node.
public struct RelationRef: Codable, Sendable, Hashable, CustomStringConvertible {
    public var schema: String?
    public var name: String

    public init(schema: String? = nil, name: String) {
        self.schema = schema
        self.name = name
    }

    /// `schema.name` or `name`.
    public var description: String { schema.map { "\($0).\(name)" } ?? name }
}

/// A reference the analyzer could not resolve with certainty.
public struct LineageIssue: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Lowercase, no final period.
    public var message: String
    /// 0-based UTF-8 byte offset in the analysed SQL (use `SourceLocation.at(utf8Offset:in:file:)`).
    public var utf8Offset: Int?

    public init(message: String, utf8Offset: Int?) {
        self.message = message
        self.utf8Offset = utf8Offset
    }

    public var description: String { message }
}

/// Where the analyzer learns the columns of the relations a query reads.
public protocol RelationCatalog: Sendable {
    /// Known columns of a relation (from property files, upstream lineage, or the database catalog), in order; nil when unknown.
    func columns(of relation: RelationRef) -> [String]?
}

/// A catalog backed by a dictionary; a relation written without schema also matches an entry by name alone
/// when exactly one entry has that name.
public struct DictionaryCatalog: RelationCatalog {
    public var relations: [RelationRef: [String]]

    public init(_ relations: [RelationRef: [String]]) {
        self.relations = relations
    }

    public func columns(of relation: RelationRef) -> [String]? {
        if let columns = relations[relation] { return columns }
        guard relation.schema == nil else { return nil }
        let matches = relations.filter { $0.key.name == relation.name }
        return matches.count == 1 ? matches.first!.value : nil
    }
}
