import ModelCompiler

/// One seed, model or source as RGPD operations see it: where it lives, who controls its rows,
/// and which of its columns carry the subject's key.
public struct RGPDRelation: Sendable, Hashable {
    /// What sqlt may do with the relation's rows.
    public enum Control: String, Sendable, Hashable {
        /// A seed or a model materialized as table or incremental: sqlt deletes rows itself.
        case table
        /// A view: it holds no rows of its own, they follow its parents.
        case view
        /// A materialized view: refreshed after its parents changed.
        case materializedView = "materialized_view"
        /// A declared source: outside sqlt's control, its owner must be notified.
        case source
    }

    /// Unique id (`seed.p.x`, `model.p.y`, `source.p.s.t`).
    public var uniqueId: String
    public var resourceType: ResourceType
    public var schema: String
    public var name: String
    public var control: Control
    /// Subject column (as given) to the column of this relation that carries it.
    public var keyColumns: [String: String]
    /// Column name to its formatted type (`format_type`), for typed comparisons.
    public var columnTypes: [String: String]
    /// For a relation without the key column: the unique key of an upstream relation holding the
    /// subject that it carries (the subject's rows are those with the subject's values of that key).
    public var link: Link?

    /// A unique key column shared with an upstream relation that holds the subject.
    public struct Link: Sendable, Hashable {
        /// Unique id of the upstream relation (which has the key column).
        public var parentId: String
        /// The column, unique in the upstream relation and present (same name) in this one.
        public var column: String
        public init(parentId: String, column: String) {
            self.parentId = parentId
            self.column = column
        }
    }

    public init(
        uniqueId: String, resourceType: ResourceType, schema: String, name: String, control: Control,
        keyColumns: [String: String] = [:], columnTypes: [String: String] = [:], link: Link? = nil
    ) {
        self.link = link
        self.uniqueId = uniqueId
        self.resourceType = resourceType
        self.schema = schema
        self.name = name
        self.control = control
        self.keyColumns = keyColumns
        self.columnTypes = columnTypes
    }

    /// `"schema"."name"`.
    public var qualified: String { qualifiedName(schema, name) }

    /// `schema.name`, for messages.
    public var displayName: String { "\(schema).\(name)" }

    /// The `where` clause matching the subjects (AND'ed), with `$n` parameters from `firstParameter`,
    /// and the parameter values; each value is cast to the column's type.
    func subjectFilter(_ subjects: [RGPDSubject], firstParameter: Int = 1) -> (sql: String, parameters: [String?]) {
        var clauses: [String] = []
        var parameters: [String?] = []
        for subject in subjects {
            let column = keyColumns[subject.column] ?? subject.column
            let type = columnTypes[column] ?? "text"
            clauses.append("\(quoteIdentifier(column)) = cast($\(firstParameter + parameters.count) as \(type))")
            parameters.append(subject.value)
        }
        return (clauses.joined(separator: " and "), parameters)
    }
}
