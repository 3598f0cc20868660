/// The relations of the run's schemas and their columns, as PostgreSQL's catalog listed them
/// when the run started (`RelationListingReader.read`): which relations exist, of what kind, with
/// which columns. Not dbt's `catalog.json` (that is `CatalogArtifact`).
public struct RelationListing: Sendable {
    public enum Kind: String, Sendable { case table, view, materializedView, partitionedTable, foreign }
    public struct Relation: Sendable {
        public var schema: String
        public var name: String
        public var kind: Kind
        /// Columns in order, with their formatted types (`format_type`).
        public var columns: [(name: String, type: String)]
        public init(schema: String, name: String, kind: Kind, columns: [(name: String, type: String)]) {
            self.schema = schema
            self.name = name
            self.kind = kind
            self.columns = columns
        }
    }
    public var relations: [String: Relation]
    public init(relations: [String: Relation] = [:]) { self.relations = relations }
    public func relation(schema: String, name: String) -> Relation? { relations["\(schema).\(name)"] }
}
