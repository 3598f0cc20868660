import ModelCompiler

/// The `where` clause selecting a subject's rows in one relation, with its bind parameters.
public struct RGPDRowFilter: Sendable, Hashable {
    public var sql: String
    public var parameters: [String?]

    public init(sql: String, parameters: [String?]) {
        self.sql = sql
        self.parameters = parameters
    }

    /// The relations of the scope the current user cannot read (sources owned by others, say):
    /// they get no filter, and are reported as unreadable rather than failing the operation.
    public static func unreadable(_ scope: RGPDScope, session: any DatabaseSession) throws(DatabaseError) -> Set<String>
    {
        var ids = Set<String>()
        for relation in scope.holding {
            let readable = try session.execute("select has_table_privilege($1, 'select')", [relation.qualified]).scalar
            if readable != "t" { ids.insert(relation.uniqueId) }
        }
        return ids
    }

    /// One filter per readable relation of the scope, by unique id. Linked relations get the list of the
    /// subject's values of the shared unique key, read now from the upstream relation: computed
    /// before any delete, the filters still find the rows once the upstream rows are gone.
    public static func resolve(
        _ scope: RGPDScope, session: any DatabaseSession
    ) throws(DatabaseError) -> [String: RGPDRowFilter] {
        var filters: [String: RGPDRowFilter] = [:]
        let byId = Dictionary(scope.holding.map { ($0.uniqueId, $0) }, uniquingKeysWith: { first, _ in first })
        let unreadable = try unreadable(scope, session: session)
        for relation in scope.holding where relation.link == nil && !unreadable.contains(relation.uniqueId) {
            let direct = relation.subjectFilter(scope.subjects)
            filters[relation.uniqueId] = RGPDRowFilter(sql: direct.sql, parameters: direct.parameters)
        }
        for relation in scope.holding {
            guard let link = relation.link, let parent = byId[link.parentId],
                let parentFilter = filters[parent.uniqueId]
            else { continue }
            let values = try session.execute(
                "select distinct cast(\(quoteIdentifier(link.column)) as text) from \(parent.qualified) where \(parentFilter.sql)",
                parentFilter.parameters
            ).rows.compactMap { $0[0] }
            filters[relation.uniqueId] =
                values.isEmpty
                ? RGPDRowFilter(sql: "false", parameters: [])
                : RGPDRowFilter(
                    sql: "cast(\(quoteIdentifier(link.column)) as text) = any($1::text[])",
                    parameters: [RelationListingReader.arrayLiteral(values)])
        }
        return filters
    }
}
