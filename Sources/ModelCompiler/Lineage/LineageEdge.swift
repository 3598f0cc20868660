/// How an input column reaches an output column, before conversion to `ColumnInput`.
enum LineageEdgeKind: String, Sendable, Hashable {
    case identity = "IDENTITY"
    case transformation = "TRANSFORMATION"
    case aggregation = "AGGREGATION"
    case join = "JOIN"
    case filter = "FILTER"
    case groupBy = "GROUP_BY"
    case sort = "SORT"
    case window = "WINDOW"
    case conditional = "CONDITIONAL"

    var isDirect: Bool { self == .identity || self == .transformation || self == .aggregation }

    /// The kind of a DIRECT edge seen through an outer DIRECT step: identity is neutral, aggregation wins.
    func then(_ outer: LineageEdgeKind) -> LineageEdgeKind {
        if outer == .identity { return self }
        if self == .identity { return outer }
        if self == .aggregation || outer == .aggregation { return .aggregation }
        return .transformation
    }
}

/// One edge from a base relation's column, already traced through CTEs and subqueries.
struct LineageEdge: Hashable, Sendable {
    var relation: RelationRef
    var column: String
    var kind: LineageEdgeKind
    /// Masking functions on the path, lower case, sorted, unique.
    var maskedBy: [String]

    /// This DIRECT edge seen through an outer expression of kind `outer` inside the masking functions `masks`.
    func through(_ outer: LineageEdgeKind, masks: [String]) -> LineageEdge {
        var edge = self
        edge.kind = kind.then(outer)
        edge.maskedBy = Self.merge(maskedBy, masks)
        return edge
    }

    /// This edge turned into an INDIRECT edge of the given kind.
    func indirect(_ kind: LineageEdgeKind, masks: [String]) -> LineageEdge {
        var edge = self
        edge.kind = kind
        edge.maskedBy = Self.merge(maskedBy, masks)
        return edge
    }

    static func merge(_ a: [String], _ b: [String]) -> [String] {
        if b.isEmpty { return a }
        if a.isEmpty { return b }
        return Array(Set(a).union(b)).sorted()
    }

    var columnInput: ColumnInput {
        ColumnInput(
            relation: relation, column: column, type: kind.isDirect ? "DIRECT" : "INDIRECT", subtype: kind.rawValue,
            masking: !maskedBy.isEmpty, maskedBy: maskedBy)
    }

    /// Edges without duplicates, in order of first appearance.
    static func unique(_ edges: [LineageEdge]) -> [LineageEdge] {
        var seen = Set<LineageEdge>()
        seen.reserveCapacity(edges.count)
        return edges.filter { seen.insert($0).inserted }
    }
}

/// The lineage of one column of a query level (or of a relation a query reads).
struct ColumnSource: Sendable {
    var name: String
    /// DIRECT edges to base relations.
    var direct: [LineageEdge]
    /// INDIRECT edges to base relations, including those of the whole query level.
    var indirect: [LineageEdge]

    /// A column of a base relation: an identity edge to itself.
    static func base(_ relation: RelationRef, _ column: String) -> ColumnSource {
        ColumnSource(
            name: column, direct: [LineageEdge(relation: relation, column: column, kind: .identity, maskedBy: [])],
            indirect: [])
    }

    func renamed(_ name: String) -> ColumnSource {
        var copy = self
        copy.name = name
        return copy
    }
}

/// Columns a relation or query has beyond the known ones, because the catalog does not know them
/// (a table, or a `SELECT *` over it in a CTE or subquery).
struct OpenColumns: Sendable {
    /// How issues name it, for example `raw.events (e)`.
    var name: String
    /// The one base relation the unknown columns come from, or nil when several could.
    var relation: RelationRef?
    /// INDIRECT edges every such column carries (filters and joins of the levels on the way).
    var indirect: [LineageEdge]

    /// The lineage of an unknown column `name`, when it can only come from one base relation.
    func column(_ column: String) -> ColumnSource? {
        guard let relation else { return nil }
        var source = ColumnSource.base(relation, column)
        source.indirect = indirect
        return source
    }

    /// Several sources of unknown columns: one relation stays traceable, more become opaque.
    static func merged(_ parts: [OpenColumns]) -> OpenColumns? {
        guard let first = parts.first else { return nil }
        if parts.count == 1 { return first }
        return OpenColumns(
            name: parts.map(\.name).joined(separator: ", "), relation: nil, indirect: parts.flatMap(\.indirect))
    }
}

/// The output of one query level: its columns and the INDIRECT edges that affect all of its rows.
struct QueryLineage: Sendable {
    var columns: [ColumnSource]
    var levelIndirect: [LineageEdge]
    /// Set when a `*` in the select list covers a relation whose columns are unknown.
    var open: OpenColumns? = nil

    /// Renames the first columns, as `name (a, b)` or `AS alias (a, b)` do.
    func renamed(_ names: [String]) -> QueryLineage {
        guard !names.isEmpty else { return self }
        var copy = self
        for (index, name) in names.enumerated() where index < copy.columns.count {
            copy.columns[index].name = name
        }
        return copy
    }
}
