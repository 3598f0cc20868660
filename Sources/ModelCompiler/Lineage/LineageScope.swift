/// A relation visible in a query level's `FROM` clause, by the name that can qualify its columns.
struct RangeEntry {
    /// The alias, else the relation or CTE name; nil for an unaliased join's own result.
    var name: String?
    /// The schema when the relation was written `schema.name` without alias.
    var schema: String?
    /// The base relation, when the entry is a table, view or source (not a CTE or subquery).
    var relation: RelationRef?
    /// Known columns.
    var columns: [ColumnSource]
    /// Columns beyond the known ones that the catalog does not know; nil when `columns` is complete.
    var rest: OpenColumns?
    var location: Int?

    func column(_ name: String) -> ColumnSource? {
        columns.first { $0.name == name }
    }
}

/// One piece of a `FROM` item's `*` expansion: known columns, or a relation whose columns are unknown.
enum StarPart {
    case known([ColumnSource])
    case unknown(OpenColumns)

    /// The parts of one entry: its known columns, then its unknown rest.
    static func of(_ entry: RangeEntry) -> [StarPart] {
        var parts: [StarPart] = entry.columns.isEmpty ? [] : [.known(entry.columns)]
        if let rest = entry.rest { parts.append(.unknown(rest)) }
        return parts
    }

    func removing(_ names: Set<String>) -> StarPart {
        guard case .known(let columns) = self else { return self }
        return .known(columns.filter { !names.contains($0.name) })
    }
}

/// The result of analysing one `FROM` item.
struct FromLineage {
    /// Entries visible for qualified references (`alias.column`).
    var entries: [RangeEntry]
    /// What `*` expands to, in order.
    var star: [StarPart]
    /// Columns merged by `JOIN ... USING`, which unqualified references reach before any side.
    var merged: [String: ColumnSource]
    /// Join conditions and the row-level INDIRECT edges of derived tables.
    var levelIndirect: [LineageEdge]
}

/// Name resolution for one query level, chained to the enclosing levels (for correlated subqueries and CTEs).
final class LineageScope {
    let parent: LineageScope?
    var ctes: [String: QueryLineage] = [:]
    var entries: [RangeEntry] = []
    var merged: [String: ColumnSource] = [:]
    var star: [StarPart] = []
    var windows: [String: SQLWindow] = [:]

    init(parent: LineageScope?) {
        self.parent = parent
    }

    func cte(_ name: String) -> QueryLineage? {
        var scope: LineageScope? = self
        while let current = scope {
            if let found = current.ctes[name] { return found }
            scope = current.parent
        }
        return nil
    }

    func add(_ from: FromLineage) {
        entries += from.entries
        star += from.star
        for (name, column) in from.merged { merged[name] = column }
    }

    /// Entries matching a qualifier `name` or `schema.name`.
    func entries(named name: String, schema: String?) -> [RangeEntry] {
        entries.filter { entry in
            entry.name == name && (schema == nil || entry.schema == schema)
        }
    }
}
