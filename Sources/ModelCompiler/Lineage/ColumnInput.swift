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
