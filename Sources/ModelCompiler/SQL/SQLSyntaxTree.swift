/// The parts of PostgreSQL's parse tree that column lineage needs, as immutable values.
///
/// Every structure comes from PostgreSQL's own parser (libpg_query); nodes that lineage does not
/// interpret are kept as `.other` with their child expressions, so no column reference is lost.
/// Locations are 0-based UTF-8 byte offsets into the parsed SQL, or nil when unknown.
public enum SQLStatement: Sendable, Hashable {
    /// A query: `SELECT`, `VALUES`, `WITH ... SELECT` or a set operation.
    case select(SQLSelect)
    /// Any other statement, by its parse-node name (for example `InsertStmt`).
    case other(String)
}

/// One query level: a plain `SELECT`, a `VALUES` list, or a set operation of two queries.
public struct SQLSelect: Sendable, Hashable {
    /// The `WITH` clause attached to this query level.
    public var with: SQLWith?
    public var targets: [SQLTarget]
    public var from: [SQLFromItem]
    public var whereClause: SQLExpression?
    public var groupBy: [SQLExpression]
    public var having: SQLExpression?
    /// Named windows from the `WINDOW` clause.
    public var windows: [SQLWindow]
    public var orderBy: [SQLExpression]
    /// Expressions of `DISTINCT ON (...)`; empty for plain `DISTINCT` or none.
    public var distinctOn: [SQLExpression]
    /// Rows of a `VALUES` query.
    public var values: [[SQLExpression]]
    /// For a set operation, `UNION`, `INTERSECT` or `EXCEPT`; nil for a plain query.
    public var setOperation: SQLSetOperation?
    /// The operands of a set operation, left to right (at least two; a chain of the same operation,
    /// such as `a UNION ALL b UNION ALL c`, is one list); empty otherwise.
    public var operands: [SQLSelect]

    public init(
        with: SQLWith? = nil, targets: [SQLTarget] = [], from: [SQLFromItem] = [], whereClause: SQLExpression? = nil,
        groupBy: [SQLExpression] = [], having: SQLExpression? = nil, windows: [SQLWindow] = [],
        orderBy: [SQLExpression] = [], distinctOn: [SQLExpression] = [], values: [[SQLExpression]] = [],
        setOperation: SQLSetOperation? = nil, operands: [SQLSelect] = []
    ) {
        self.with = with
        self.targets = targets
        self.from = from
        self.whereClause = whereClause
        self.groupBy = groupBy
        self.having = having
        self.windows = windows
        self.orderBy = orderBy
        self.distinctOn = distinctOn
        self.values = values
        self.setOperation = setOperation
        self.operands = operands
    }
}

/// `UNION`, `INTERSECT` or `EXCEPT`, with or without `ALL`.
public struct SQLSetOperation: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case union, intersect, except }
    public var kind: Kind
    public var all: Bool
}

/// A `WITH` clause.
public struct SQLWith: Sendable, Hashable {
    public var recursive: Bool
    public var ctes: [SQLCommonTableExpression]
}

/// One common table expression: `name (columns) AS (query)`.
public struct SQLCommonTableExpression: Sendable, Hashable {
    public var name: String
    public var columnNames: [String]
    public var query: SQLSelect
    public var location: Int?
}

/// One entry of the select list: `value AS name`.
public struct SQLTarget: Sendable, Hashable {
    public var name: String?
    public var value: SQLExpression
    public var location: Int?
}

/// `AS alias (column, ...)` on a `FROM` item.
public struct SQLAlias: Sendable, Hashable {
    public var name: String
    public var columnNames: [String]
}

/// An item of the `FROM` clause.
public indirect enum SQLFromItem: Sendable, Hashable {
    /// A table, view or CTE name as written: `schema.name AS alias`.
    case relation(schema: String?, name: String, alias: SQLAlias?, location: Int?)
    /// A derived table: `(SELECT ...) AS alias`.
    case subquery(SQLSelect, alias: SQLAlias?, lateral: Bool)
    /// A join of two items.
    case join(SQLJoin)
    /// A set-returning function call such as `unnest(array) AS u(value)`.
    case function(calls: [SQLExpression], alias: SQLAlias?, ordinality: Bool, location: Int?)
    /// Any other item (for example `TABLESAMPLE` or `XMLTABLE`), with its expressions.
    case other(kind: String, expressions: [SQLExpression])
}

/// `left JOIN right ON condition` or `USING (columns)`.
public struct SQLJoin: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case inner, left, right, full, cross }
    public var kind: Kind
    public var left: SQLFromItem
    public var right: SQLFromItem
    public var condition: SQLExpression?
    public var using: [String]
    public var natural: Bool
    public var alias: SQLAlias?
}

/// A window specification, named in a `WINDOW` clause or inline in `OVER (...)`.
public struct SQLWindow: Sendable, Hashable {
    public var name: String?
    /// The window this one extends: `OVER (w ORDER BY x)` or `OVER w`.
    public var referencedName: String?
    public var partitionBy: [SQLExpression]
    public var orderBy: [SQLExpression]
}

/// A column reference: `a`, `t.a`, `s.t.a`, `t.*` or `*`.
public struct SQLColumnReference: Sendable, Hashable {
    /// The name parts before the star or column; unquoted parts are lower case.
    public var parts: [String]
    /// True for `*` or `t.*` (then `parts` holds only the qualifier).
    public var isStar: Bool
    public var location: Int?
}

/// A function call, including aggregates and window functions.
public struct SQLFunctionCall: Sendable, Hashable {
    public var name: [String]
    public var arguments: [SQLExpression]
    /// `count(*)`.
    public var star: Bool
    public var distinct: Bool
    /// `FILTER (WHERE ...)` of an aggregate.
    public var filter: SQLExpression?
    /// `ORDER BY` inside an aggregate or `WITHIN GROUP (ORDER BY ...)`.
    public var orderBy: [SQLExpression]
    /// `OVER (...)`: present for window functions.
    public var window: SQLWindow?
    public var location: Int?
}

/// `CASE [subject] WHEN condition THEN result ... ELSE default END`.
public struct SQLCase: Sendable, Hashable {
    public var subject: SQLExpression?
    public var conditions: [SQLExpression]
    public var results: [SQLExpression]
    public var defaultResult: SQLExpression?
    public var location: Int?
}

/// A subquery used as an expression.
public struct SQLSubqueryExpression: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case scalar, exists, any, all, array, other }
    public var kind: Kind
    /// The left operand of `x IN (SELECT ...)` or `x = ANY (SELECT ...)`.
    public var test: SQLExpression?
    public var query: SQLSelect
    public var location: Int?
}

/// A value expression.
public indirect enum SQLExpression: Sendable, Hashable {
    case column(SQLColumnReference)
    /// A literal or a parameter.
    case constant(location: Int?)
    /// An integer literal (kept apart for `GROUP BY 1` and `ORDER BY 2`).
    case integer(Int, location: Int?)
    case function(SQLFunctionCall)
    /// `value::type` or `CAST(value AS type)`; `type` is the last part of the type name.
    case cast(SQLExpression, type: String, location: Int?)
    case caseWhen(SQLCase)
    case coalesce([SQLExpression], location: Int?)
    case subquery(SQLSubqueryExpression)
    /// Any other node (operators, boolean logic, `IS NULL`, ...), by its parse-node name, with
    /// the name PostgreSQL would give the column (`greatest`, `row`, ...) when it has one.
    case other(kind: String, columnName: String?, children: [SQLExpression], location: Int?)

    /// The byte offset of this expression in the SQL, when known.
    public var location: Int? {
        switch self {
        case .column(let reference): reference.location
        case .constant(let location): location
        case .integer(_, let location): location
        case .function(let call): call.location
        case .cast(_, _, let location): location
        case .caseWhen(let expression): expression.location
        case .coalesce(_, let location): location
        case .subquery(let expression): expression.location
        case .other(_, _, _, let location): location
        }
    }
}
