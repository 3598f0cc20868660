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
