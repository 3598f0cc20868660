import ModelCompiler

/// The columns of database relations, as column lineage takes them for relations the project
/// does not describe itself (a source without declared columns, a table made by hand).
extension RelationListing {
    /// Each relation's columns, by schema-qualified name, and by bare name for relations of
    /// `defaultSchema` (an unqualified reference resolves there).
    public func lineageColumns(defaultSchema: String) -> [RelationRef: [String]] {
        var columns: [RelationRef: [String]] = [:]
        for relation in relations.values {
            let names = relation.columns.map(\.name)
            columns[RelationRef(schema: relation.schema, name: relation.name)] = names
            if relation.schema == defaultSchema { columns[RelationRef(name: relation.name)] = names }
        }
        return columns
    }
}

extension CatalogArtifact {
    /// Each documented node's and source's columns, in their database order.
    public var lineageColumns: [RelationRef: [String]] {
        var columns: [RelationRef: [String]] = [:]
        for table in Array(nodes.values) + Array(sources.values) {
            columns[RelationRef(schema: table.metadata.schema, name: table.metadata.name)] = table.orderedColumns.map(
                \.name)
        }
        return columns
    }
}
