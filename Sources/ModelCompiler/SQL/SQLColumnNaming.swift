/// Names output columns the way PostgreSQL does (FigureColname): alias, else column name, else
/// function name, else a few keywords (`case`, `coalesce`, ...), else `?column?`.
public enum SQLColumnNaming {
    /// The name PostgreSQL gives a select-list entry without alias.
    public static func name(of expression: SQLExpression) -> String {
        let (name, strength) = figure(expression)
        return strength > 0 ? name : "?column?"
    }

    /// The name of a select-list entry: its alias, else the figured name.
    public static func name(of target: SQLTarget) -> String {
        target.name ?? name(of: target.value)
    }

    /// The name and its strength: 2 for a real name, 1 for a fallback keyword, 0 for none.
    private static func figure(_ expression: SQLExpression) -> (String, Int) {
        switch expression {
        case .column(let reference):
            if reference.isStar { return ("?column?", 0) }
            return (reference.parts.last ?? "?column?", 2)
        case .function(let call):
            return (call.name.last ?? "?column?", 2)
        case .cast(let inner, let type, _):
            let (name, strength) = figure(inner)
            if strength <= 1, !type.isEmpty { return (type, 1) }
            return (name, strength)
        case .caseWhen:
            return ("case", 1)
        case .coalesce:
            return ("coalesce", 2)
        case .subquery(let subquery):
            switch subquery.kind {
            case .exists: return ("exists", 2)
            case .array: return ("array", 2)
            case .scalar:
                var query = subquery.query
                while let left = query.operands.first { query = left }
                guard let first = query.targets.first else { return ("?column?", 0) }
                if let name = first.name { return (name, 2) }
                return figure(first.value)
            default: return ("?column?", 0)
            }
        case .other(let kind, let columnName, let children, _):
            if let columnName { return (columnName, 2) }
            if kind == "A_Indirection" || kind == "CollateClause", let first = children.first { return figure(first) }
            return ("?column?", 0)
        case .constant, .integer:
            return ("?column?", 0)
        }
    }
}
