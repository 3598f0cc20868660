/// Where the analyzer learns the columns of the relations a query reads.
public protocol ColumnLookup: Sendable {
    /// Known columns of a relation (from property files, upstream lineage, or the database catalog), in order; nil when unknown.
    func columns(of relation: RelationRef) -> [String]?
}

/// A catalog backed by a dictionary; a relation written without schema also matches an entry by name alone
/// when exactly one entry has that name.
public struct DictionaryColumnLookup: ColumnLookup {
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

/// A catalog that asks a closure, for example one that looks up property files, then upstream lineage.
public struct ClosureColumnLookup: ColumnLookup {
    public let lookup: @Sendable (RelationRef) -> [String]?

    public init(_ lookup: @escaping @Sendable (RelationRef) -> [String]?) {
        self.lookup = lookup
    }

    public func columns(of relation: RelationRef) -> [String]? { lookup(relation) }
}
