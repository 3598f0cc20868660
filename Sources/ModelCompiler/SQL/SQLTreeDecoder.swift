/// Turns libpg_query's JSON parse tree (as a token tape) into the typed `SQLStatement` tree, in one pass.
final class SQLTreeDecoder {
    /// Expressions nested deeper than this keep only their column references (as one flat node), so
    /// thousands-long operator chains never exhaust a thread's stack.
    static let maximumExpressionDepth = 160

    let tape: PgJSONTape
    private var depth = 0

    init(tape: PgJSONTape) {
        self.tape = tape
    }

    func statements() -> [SQLStatement] {
        tape.items(tape.field(tape.root, "stmts")).map { raw in
            guard let stmt = tape.field(raw, "stmt"), let node = tape.node(stmt) else { return .other("") }
            if tape.matches(node.type, "SelectStmt") { return .select(select(node.body)) }
            return .other(tape.string(node.type) ?? "")
        }
    }

    // MARK: Queries

    /// A `SelectStmt` body, or a node wrapping one (set-operation operands come unwrapped).
    func select(_ index: Int?) -> SQLSelect {
        guard var body = index else { return SQLSelect() }
        if let node = tape.node(body), tape.matches(node.type, "SelectStmt") { body = node.body }
        var result = SQLSelect()
        if let with = tape.field(body, "withClause") { result.with = withClause(with) }
        result.targets = tape.items(tape.field(body, "targetList")).compactMap(target)
        result.from = tape.items(tape.field(body, "fromClause")).map(fromItem)
        result.whereClause = tape.field(body, "whereClause").map(expression)
        result.groupBy = tape.items(tape.field(body, "groupClause")).map(expression)
        result.having = tape.field(body, "havingClause").map(expression)
        result.windows = tape.items(tape.field(body, "windowClause")).map { window(tape.node($0)?.body ?? $0) }
        result.orderBy = tape.items(tape.field(body, "sortClause")).map(sortExpression)
        result.distinctOn = tape.items(tape.field(body, "distinctClause")).filter { tape.node($0) != nil }.map(
            expression)
        result.values = tape.items(tape.field(body, "valuesLists")).map { row in
            listItems(row).map(expression)
        }
        if let operation = setOperation(body) {
            // A chain of the same operation (`a UNION ALL b UNION ALL c ...`) nests to the left; read it
            // as one list without recursion.
            var rights: [Int] = []
            var current = body
            while let next = tape.field(current, "larg"), let right = tape.field(current, "rarg") {
                rights.append(right)
                current = tape.node(next).flatMap { tape.matches($0.type, "SelectStmt") ? $0.body : nil } ?? next
                // Descend only into a plain link of the same chain (no ORDER BY, LIMIT or WITH of its own).
                guard setOperation(current) == operation, tape.field(current, "sortClause") == nil,
                    tape.field(current, "withClause") == nil, tape.field(current, "limitCount") == nil,
                    tape.field(current, "limitOffset") == nil
                else { break }
            }
            result.setOperation = operation
            result.operands = [select(current)] + rights.reversed().map { select($0) }
        }
        return result
    }

    private func setOperation(_ body: Int) -> SQLSetOperation? {
        guard let op = tape.field(body, "op"), !tape.matches(op, "SETOP_NONE") else { return nil }
        let kind: SQLSetOperation.Kind =
            tape.matches(op, "SETOP_INTERSECT") ? .intersect : tape.matches(op, "SETOP_EXCEPT") ? .except : .union
        return SQLSetOperation(kind: kind, all: tape.bool(tape.field(body, "all")))
    }

    /// The items of a `{"List": {"items": [...]}}` node or of a plain array.
    private func listItems(_ index: Int) -> [Int] {
        if let node = tape.node(index), tape.matches(node.type, "List") {
            return tape.items(tape.field(node.body, "items"))
        }
        return tape.items(index)
    }

    private func withClause(_ index: Int) -> SQLWith {
        let body = tape.node(index)?.body ?? index
        let ctes = tape.items(tape.field(body, "ctes")).compactMap { raw -> SQLCommonTableExpression? in
            guard let cte = tape.node(raw), tape.matches(cte.type, "CommonTableExpr"),
                let query = tape.field(cte.body, "ctequery")
            else { return nil }
            return SQLCommonTableExpression(
                name: tape.string(tape.field(cte.body, "ctename")) ?? "",
                columnNames: names(tape.field(cte.body, "aliascolnames")),
                query: select(query),
                location: tape.int(tape.field(cte.body, "location")))
        }
        return SQLWith(recursive: tape.bool(tape.field(body, "recursive")), ctes: ctes)
    }

    private func target(_ index: Int) -> SQLTarget? {
        guard let node = tape.node(index), tape.matches(node.type, "ResTarget"),
            let value = tape.field(node.body, "val")
        else { return nil }
        return SQLTarget(
            name: tape.string(tape.field(node.body, "name")), value: expression(value),
            location: tape.int(tape.field(node.body, "location")))
    }

    private func window(_ body: Int) -> SQLWindow {
        SQLWindow(
            name: tape.string(tape.field(body, "name")),
            referencedName: tape.string(tape.field(body, "refname")),
            partitionBy: tape.items(tape.field(body, "partitionClause")).map(expression),
            orderBy: tape.items(tape.field(body, "orderClause")).map(sortExpression))
    }

    // MARK: FROM

    private func alias(_ index: Int?) -> SQLAlias? {
        guard let index, let name = tape.string(tape.field(index, "aliasname")) else { return nil }
        return SQLAlias(name: name, columnNames: names(tape.field(index, "colnames")))
    }

    func fromItem(_ index: Int) -> SQLFromItem {
        guard let node = tape.node(index) else { return .other(kind: "", expressions: []) }
        let body = node.body
        let type = node.type
        if tape.matches(type, "RangeVar") {
            return .relation(
                schema: tape.string(tape.field(body, "schemaname")),
                name: tape.string(tape.field(body, "relname")) ?? "",
                alias: alias(tape.field(body, "alias")), location: tape.int(tape.field(body, "location")))
        }
        if tape.matches(type, "RangeSubselect") {
            return .subquery(
                select(tape.field(body, "subquery")), alias: alias(tape.field(body, "alias")),
                lateral: tape.bool(tape.field(body, "lateral")))
        }
        if tape.matches(type, "JoinExpr") {
            let natural = tape.bool(tape.field(body, "isNatural"))
            let using = names(tape.field(body, "usingClause"))
            let condition = tape.field(body, "quals").map(expression)
            let joinType = tape.field(body, "jointype")
            let kind: SQLJoin.Kind
            if let joinType, tape.matches(joinType, "JOIN_LEFT") {
                kind = .left
            } else if let joinType, tape.matches(joinType, "JOIN_RIGHT") {
                kind = .right
            } else if let joinType, tape.matches(joinType, "JOIN_FULL") {
                kind = .full
            } else {
                kind = condition == nil && using.isEmpty && !natural ? .cross : .inner
            }
            let left = tape.field(body, "larg").map(fromItem) ?? .other(kind: "", expressions: [])
            let right = tape.field(body, "rarg").map(fromItem) ?? .other(kind: "", expressions: [])
            return .join(
                SQLJoin(
                    kind: kind, left: left, right: right, condition: condition, using: using, natural: natural,
                    alias: alias(tape.field(body, "alias"))))
        }
        if tape.matches(type, "RangeFunction") {
            let calls = tape.items(tape.field(body, "functions")).compactMap { item -> SQLExpression? in
                listItems(item).first.map(expression)
            }
            return .function(
                calls: calls, alias: alias(tape.field(body, "alias")),
                ordinality: tape.bool(tape.field(body, "ordinality")),
                location: calls.first?.location)
        }
        if tape.matches(type, "RangeTableSample"), let relation = tape.field(body, "relation") {
            return fromItem(relation)
        }
        return .other(kind: tape.string(type) ?? "", expressions: children(body))
    }

    // MARK: Expressions

    /// The `sval`s of a list of `String` nodes.
    private func names(_ index: Int?) -> [String] {
        tape.items(index).compactMap { item in
            guard let node = tape.node(item) else { return nil }
            return tape.string(tape.field(node.body, "sval"))
        }
    }

    private func sortExpression(_ index: Int) -> SQLExpression {
        if let node = tape.node(index), tape.matches(node.type, "SortBy"), let inner = tape.field(node.body, "node") {
            return expression(inner)
        }
        return expression(index)
    }

    func expression(_ index: Int) -> SQLExpression {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maximumExpressionDepth { return flattened(index) }
        guard let node = tape.node(index) else {
            return .other(kind: "", columnName: nil, children: children(index), location: nil)
        }
        let body = node.body
        let location = tape.int(tape.field(body, "location"))
        let type = tape.string(node.type) ?? ""
        switch type {
        case "ColumnRef":
            var parts: [String] = []
            var star = false
            for field in tape.items(tape.field(body, "fields")) {
                guard let part = tape.node(field) else { continue }
                if tape.matches(part.type, "A_Star") {
                    star = true
                } else if let text = tape.string(tape.field(part.body, "sval")) {
                    parts.append(text)
                }
            }
            return .column(SQLColumnReference(parts: parts, isStar: star, location: location))
        case "A_Const":
            if let integer = tape.field(body, "ival") {
                return .integer(tape.int(tape.field(integer, "ival")) ?? 0, location: location)
            }
            return .constant(location: location)
        case "ParamRef", "String", "Integer", "Float", "Boolean", "BitString", "A_Star":
            return .constant(location: location)
        case "FuncCall":
            var orderBy = tape.items(tape.field(body, "agg_order")).map(sortExpression)
            if orderBy.isEmpty, let within = tape.field(body, "agg_within_group"), tape.kind(within) == .array {
                orderBy = tape.items(within).map(sortExpression)
            }
            return .function(
                SQLFunctionCall(
                    name: names(tape.field(body, "funcname")),
                    arguments: tape.items(tape.field(body, "args")).map(expression),
                    star: tape.bool(tape.field(body, "agg_star")),
                    distinct: tape.bool(tape.field(body, "agg_distinct")),
                    filter: tape.field(body, "agg_filter").map(expression),
                    orderBy: orderBy,
                    window: tape.field(body, "over").map { window(tape.node($0)?.body ?? $0) },
                    location: location))
        case "TypeCast":
            let typeName = tape.field(body, "typeName").flatMap { names(tape.field($0, "names")).last } ?? ""
            return .cast(
                tape.field(body, "arg").map(expression) ?? .constant(location: nil), type: typeName, location: location)
        case "CaseExpr":
            var conditions: [SQLExpression] = []
            var results: [SQLExpression] = []
            for when in tape.items(tape.field(body, "args")) {
                guard let clause = tape.node(when)?.body else { continue }
                if let condition = tape.field(clause, "expr") { conditions.append(expression(condition)) }
                if let result = tape.field(clause, "result") { results.append(expression(result)) }
            }
            return .caseWhen(
                SQLCase(
                    subject: tape.field(body, "arg").map(expression), conditions: conditions, results: results,
                    defaultResult: tape.field(body, "defresult").map(expression), location: location))
        case "CoalesceExpr":
            return .coalesce(tape.items(tape.field(body, "args")).map(expression), location: location)
        case "SubLink":
            let kind: SQLSubqueryExpression.Kind =
                switch tape.string(tape.field(body, "subLinkType")) {
                case "EXPR_SUBLINK": .scalar
                case "EXISTS_SUBLINK": .exists
                case "ANY_SUBLINK": .any
                case "ALL_SUBLINK": .all
                case "ARRAY_SUBLINK": .array
                default: .other
                }
            return .subquery(
                SQLSubqueryExpression(
                    kind: kind, test: tape.field(body, "testexpr").map(expression),
                    query: select(tape.field(body, "subselect")), location: location))
        case "A_Indirection":
            var name: String?
            if let last = tape.items(tape.field(body, "indirection")).last, let part = tape.node(last),
                tape.matches(part.type, "String")
            {
                name = tape.string(tape.field(part.body, "sval"))
            }
            let argument = tape.field(body, "arg").map(expression) ?? .constant(location: nil)
            return .other(kind: type, columnName: name, children: [argument], location: location)
        default:
            return .other(kind: type, columnName: columnName(type, body), children: children(body), location: location)
        }
    }

    /// PostgreSQL's column name for the remaining node kinds that have one (FigureColname).
    private func columnName(_ type: String, _ body: Int) -> String? {
        switch type {
        case "MinMaxExpr": return tape.string(tape.field(body, "op")) == "IS_LEAST" ? "least" : "greatest"
        case "RowExpr": return "row"
        case "A_ArrayExpr": return "array"
        case "GroupingFunc": return "grouping"
        case "A_Expr": return tape.string(tape.field(body, "kind")) == "AEXPR_NULLIF" ? "nullif" : nil
        case "SQLValueFunction":
            guard var op = tape.string(tape.field(body, "op")), op.hasPrefix("SVFOP_") else { return nil }
            op.removeFirst(6)
            if op.hasSuffix("_N") { op.removeLast(2) }
            return op.lowercased()
        case "XmlExpr":
            guard var op = tape.string(tape.field(body, "op")), op.hasPrefix("IS_") else { return nil }
            op.removeFirst(3)
            return op.lowercased()
        default: return nil
        }
    }

    /// The column references anywhere under `index`, found by scanning the tape (no recursion).
    private func flattened(_ index: Int) -> SQLExpression {
        var references: [SQLExpression] = []
        var cursor = index
        let end = Int(tape.tokens[index].next)
        while cursor < end {
            if let node = tape.node(cursor), tape.matches(node.type, "ColumnRef") {
                var parts: [String] = []
                var star = false
                for field in tape.items(tape.field(node.body, "fields")) {
                    guard let part = tape.node(field) else { continue }
                    if tape.matches(part.type, "A_Star") {
                        star = true
                    } else if let text = tape.string(tape.field(part.body, "sval")) {
                        parts.append(text)
                    }
                }
                let location = tape.int(tape.field(node.body, "location"))
                references.append(.column(SQLColumnReference(parts: parts, isStar: star, location: location)))
                cursor = Int(tape.tokens[cursor].next)
            } else {
                cursor += 1
            }
        }
        return .other(kind: "NestedExpression", columnName: nil, children: references, location: nil)
    }

    /// Every expression nested anywhere in a node body that lineage does not interpret.
    private func children(_ index: Int) -> [SQLExpression] {
        var found: [SQLExpression] = []
        collect(index, into: &found)
        return found
    }

    private func collect(_ index: Int, into found: inout [SQLExpression]) {
        switch tape.kind(index) {
        case .object:
            if let node = tape.node(index) {
                if tape.matches(node.type, "List") {
                    collect(node.body, into: &found)
                } else {
                    found.append(expression(index))
                }
                return
            }
            for field in tape.fields(index) { collect(field.value, into: &found) }
        case .array:
            for item in tape.items(index) { collect(item, into: &found) }
        default:
            break
        }
    }
}
