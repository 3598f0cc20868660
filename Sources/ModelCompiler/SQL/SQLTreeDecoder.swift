/// Turns libpg_query's JSON parse tree into the typed `SQLStatement` tree, in one pass.
enum SQLTreeDecoder {
    static func statements(_ root: PgJSON) -> [SQLStatement] {
        (root["stmts"]?.arrayValue ?? []).map { raw in
            guard let node = raw["stmt"]?.node else { return .other("") }
            if node.type == "SelectStmt" { return .select(select(node.body)) }
            return .other(node.type)
        }
    }

    // MARK: Queries

    static func select(_ json: PgJSON) -> SQLSelect {
        let body = json.node?.type == "SelectStmt" ? json.node!.body : json
        var result = SQLSelect()
        if let with = body["withClause"] { result.with = withClause(with) }
        result.targets = (body["targetList"]?.arrayValue ?? []).compactMap(target)
        result.from = (body["fromClause"]?.arrayValue ?? []).map(fromItem)
        result.whereClause = body["whereClause"].map(expression)
        result.groupBy = (body["groupClause"]?.arrayValue ?? []).map(expression)
        result.having = body["havingClause"].map(expression)
        result.windows = (body["windowClause"]?.arrayValue ?? []).map { window($0.node?.body ?? $0) }
        result.orderBy = (body["sortClause"]?.arrayValue ?? []).map(sortExpression)
        result.distinctOn = (body["distinctClause"]?.arrayValue ?? []).filter { $0.node != nil }.map(expression)
        result.values = (body["valuesLists"]?.arrayValue ?? []).map { row in
            let items = row.node?.type == "List" ? row.node!.body["items"]?.arrayValue ?? [] : row.arrayValue
            return items.map(expression)
        }
        let op = body["op"]?.stringValue ?? "SETOP_NONE"
        if op != "SETOP_NONE", let left = body["larg"], let right = body["rarg"] {
            let kind: SQLSetOperation.Kind =
                switch op {
                case "SETOP_INTERSECT": .intersect
                case "SETOP_EXCEPT": .except
                default: .union
                }
            result.setOperation = SQLSetOperation(kind: kind, all: body["all"]?.boolValue ?? false)
            result.operands = [select(left), select(right)]
        }
        return result
    }

    private static func withClause(_ json: PgJSON) -> SQLWith {
        let body = json.node?.body ?? json
        let ctes = (body["ctes"]?.arrayValue ?? []).compactMap { raw -> SQLCommonTableExpression? in
            guard let cte = raw.node, cte.type == "CommonTableExpr", let query = cte.body["ctequery"] else {
                return nil
            }
            return SQLCommonTableExpression(
                name: cte.body["ctename"]?.stringValue ?? "",
                columnNames: names(cte.body["aliascolnames"]),
                query: select(query),
                location: cte.body["location"]?.intValue)
        }
        return SQLWith(recursive: body["recursive"]?.boolValue ?? false, ctes: ctes)
    }

    private static func target(_ json: PgJSON) -> SQLTarget? {
        guard let node = json.node, node.type == "ResTarget", let value = node.body["val"] else { return nil }
        return SQLTarget(
            name: node.body["name"]?.stringValue, value: expression(value), location: node.body["location"]?.intValue)
    }

    private static func window(_ body: PgJSON) -> SQLWindow {
        SQLWindow(
            name: body["name"]?.stringValue,
            referencedName: body["refname"]?.stringValue,
            partitionBy: (body["partitionClause"]?.arrayValue ?? []).map(expression),
            orderBy: (body["orderClause"]?.arrayValue ?? []).map(sortExpression))
    }

    // MARK: FROM

    private static func alias(_ json: PgJSON?) -> SQLAlias? {
        guard let json, let name = json["aliasname"]?.stringValue else { return nil }
        return SQLAlias(name: name, columnNames: names(json["colnames"]))
    }

    static func fromItem(_ json: PgJSON) -> SQLFromItem {
        guard let node = json.node else { return .other(kind: "", expressions: []) }
        let body = node.body
        switch node.type {
        case "RangeVar":
            return .relation(
                schema: body["schemaname"]?.stringValue, name: body["relname"]?.stringValue ?? "",
                alias: alias(body["alias"]), location: body["location"]?.intValue)
        case "RangeSubselect":
            return .subquery(
                select(body["subquery"] ?? .null), alias: alias(body["alias"]), lateral: body["lateral"]?.boolValue ?? false)
        case "JoinExpr":
            let natural = body["isNatural"]?.boolValue ?? false
            let using = names(body["usingClause"])
            let condition = body["quals"].map(expression)
            let kind: SQLJoin.Kind =
                switch body["jointype"]?.stringValue {
                case "JOIN_LEFT": .left
                case "JOIN_RIGHT": .right
                case "JOIN_FULL": .full
                default: condition == nil && using.isEmpty && !natural ? .cross : .inner
                }
            return .join(
                SQLJoin(
                    kind: kind, left: fromItem(body["larg"] ?? .null), right: fromItem(body["rarg"] ?? .null),
                    condition: condition, using: using, natural: natural, alias: alias(body["alias"])))
        case "RangeFunction":
            let calls = (body["functions"]?.arrayValue ?? []).compactMap { item -> SQLExpression? in
                let items = item.node?.type == "List" ? item.node!.body["items"]?.arrayValue ?? [] : item.arrayValue
                return items.first.map(expression)
            }
            return .function(
                calls: calls, alias: alias(body["alias"]), ordinality: body["ordinality"]?.boolValue ?? false,
                location: calls.first?.location)
        case "RangeTableSample":
            if let relation = body["relation"] { return fromItem(relation) }
            return .other(kind: node.type, expressions: children(body))
        default:
            return .other(kind: node.type, expressions: children(body))
        }
    }

    // MARK: Expressions

    private static func names(_ json: PgJSON?) -> [String] {
        (json?.arrayValue ?? []).compactMap { $0.node?.body["sval"]?.stringValue }
    }

    private static func sortExpression(_ json: PgJSON) -> SQLExpression {
        if let node = json.node, node.type == "SortBy", let inner = node.body["node"] { return expression(inner) }
        return expression(json)
    }

    static func expression(_ json: PgJSON) -> SQLExpression {
        guard let node = json.node else {
            return .other(kind: "", columnName: nil, children: children(json), location: nil)
        }
        let body = node.body
        let location = body["location"]?.intValue
        switch node.type {
        case "ColumnRef":
            var parts: [String] = []
            var star = false
            for field in body["fields"]?.arrayValue ?? [] {
                guard let part = field.node else { continue }
                if part.type == "A_Star" { star = true } else if let text = part.body["sval"]?.stringValue { parts.append(text) }
            }
            return .column(SQLColumnReference(parts: parts, isStar: star, location: location))
        case "A_Const" where body["ival"] != nil:
            return .integer(body["ival"]?["ival"]?.intValue ?? 0, location: location)
        case "A_Const", "ParamRef", "String", "Integer", "Float", "Boolean", "BitString", "A_Star":
            return .constant(location: location)
        case "FuncCall":
            var orderBy = (body["agg_order"]?.arrayValue ?? []).map(sortExpression)
            if orderBy.isEmpty, let within = body["agg_within_group"], case .array(let items) = within {
                orderBy = items.map(sortExpression)
            }
            return .function(
                SQLFunctionCall(
                    name: names(body["funcname"]).map { $0 },
                    arguments: (body["args"]?.arrayValue ?? []).map(expression),
                    star: body["agg_star"]?.boolValue ?? false,
                    distinct: body["agg_distinct"]?.boolValue ?? false,
                    filter: body["agg_filter"].map(expression),
                    orderBy: orderBy,
                    window: body["over"].map { window($0.node?.body ?? $0) },
                    location: location))
        case "TypeCast":
            let typeName = names(body["typeName"]?["names"]).last ?? ""
            return .cast(expression(body["arg"] ?? .null), type: typeName, location: location)
        case "CaseExpr":
            var conditions: [SQLExpression] = []
            var results: [SQLExpression] = []
            for when in body["args"]?.arrayValue ?? [] {
                guard let clause = when.node?.body else { continue }
                conditions.append(expression(clause["expr"] ?? .null))
                results.append(expression(clause["result"] ?? .null))
            }
            return .caseWhen(
                SQLCase(
                    subject: body["arg"].map(expression), conditions: conditions, results: results,
                    defaultResult: body["defresult"].map(expression), location: location))
        case "CoalesceExpr":
            return .coalesce((body["args"]?.arrayValue ?? []).map(expression), location: location)
        case "SubLink":
            let kind: SQLSubqueryExpression.Kind =
                switch body["subLinkType"]?.stringValue {
                case "EXPR_SUBLINK": .scalar
                case "EXISTS_SUBLINK": .exists
                case "ANY_SUBLINK": .any
                case "ALL_SUBLINK": .all
                case "ARRAY_SUBLINK": .array
                default: .other
                }
            return .subquery(
                SQLSubqueryExpression(
                    kind: kind, test: body["testexpr"].map(expression), query: select(body["subselect"] ?? .null),
                    location: location))
        case "A_Indirection":
            let last = body["indirection"]?.arrayValue.last?.node
            let name = last?.type == "String" ? last?.body["sval"]?.stringValue : nil
            return .other(
                kind: node.type, columnName: name, children: [expression(body["arg"] ?? .null)], location: location)
        default:
            return .other(kind: node.type, columnName: columnName(node.type, body), children: children(body), location: location)
        }
    }

    /// PostgreSQL's column name for the remaining node kinds that have one (FigureColname).
    private static func columnName(_ type: String, _ body: PgJSON) -> String? {
        switch type {
        case "MinMaxExpr": return body["op"]?.stringValue == "IS_LEAST" ? "least" : "greatest"
        case "RowExpr": return "row"
        case "A_ArrayExpr": return "array"
        case "GroupingFunc": return "grouping"
        case "A_Expr": return body["kind"]?.stringValue == "AEXPR_NULLIF" ? "nullif" : nil
        case "SQLValueFunction":
            guard var op = body["op"]?.stringValue, op.hasPrefix("SVFOP_") else { return nil }
            op.removeFirst(6)
            if op.hasSuffix("_N") { op.removeLast(2) }
            return op.lowercased()
        case "XmlExpr":
            guard var op = body["op"]?.stringValue, op.hasPrefix("IS_") else { return nil }
            op.removeFirst(3)
            return op.lowercased()
        default: return nil
        }
    }

    /// Every expression nested anywhere in a node body that lineage does not interpret.
    private static func children(_ json: PgJSON) -> [SQLExpression] {
        var found: [SQLExpression] = []
        collect(json, into: &found)
        return found
    }

    private static func collect(_ json: PgJSON, into found: inout [SQLExpression]) {
        switch json {
        case .object(let fields):
            if json.node != nil {
                if json.node!.type == "List" {
                    collect(json.node!.body, into: &found)
                } else {
                    found.append(expression(json))
                }
                return
            }
            for field in fields { collect(field.value, into: &found) }
        case .array(let items):
            for item in items { collect(item, into: &found) }
        default:
            break
        }
    }
}
