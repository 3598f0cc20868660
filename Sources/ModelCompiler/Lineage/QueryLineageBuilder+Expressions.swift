/// What one expression contributes to an output column.
struct ExpressionLineage {
    var direct: [LineageEdge] = []
    var indirect: [LineageEdge] = []
}

/// Value expressions: columns, functions (aggregates, windows, masking), casts, CASE, COALESCE, subqueries.
extension QueryLineageBuilder {
    /// Adds the edges of `expression`, reached through an outer step of `kind` inside the masking functions `masks`.
    func walk(
        _ expression: SQLExpression, _ kind: LineageEdgeKind, masks: [String], _ scope: LineageScope,
        _ lineage: inout ExpressionLineage
    ) {
        switch expression {
        case .column(let reference):
            if reference.isStar {
                let expansion = expandStar(reference, scope)
                reportUnknownStar(reference, expansion.unknown)
                for column in expansion.columns { add(column, kind.then(.transformation), masks, &lineage) }
                return
            }
            if let column = resolve(reference, scope) { add(column, kind, masks, &lineage) }
        case .constant, .integer:
            return
        case .function(let call):
            function(call, kind, masks: masks, scope, &lineage)
        case .cast(let inner, _, _):
            walk(inner, kind.then(.transformation), masks: masks, scope, &lineage)
        case .caseWhen(let expression):
            if let subject = expression.subject { lineage.indirect += indirectEdges(subject, .conditional, scope) }
            for condition in expression.conditions { lineage.indirect += indirectEdges(condition, .conditional, scope) }
            for result in expression.results {
                walk(result, kind.then(.transformation), masks: masks, scope, &lineage)
            }
            if let result = expression.defaultResult {
                walk(result, kind.then(.transformation), masks: masks, scope, &lineage)
            }
        case .coalesce(let arguments, _):
            for argument in arguments { walk(argument, kind.then(.transformation), masks: masks, scope, &lineage) }
        case .subquery(let subquery):
            let result = query(subquery.query, parent: scope)
            switch subquery.kind {
            case .scalar:
                if let first = result.columns.first { add(first, kind, masks, &lineage) }
            case .exists:
                lineage.indirect += result.levelIndirect
            case .array, .any, .all, .other:
                if let test = subquery.test { walk(test, kind.then(.transformation), masks: masks, scope, &lineage) }
                if let first = result.columns.first { add(first, kind.then(.transformation), masks, &lineage) }
            }
        case .other(_, _, let children, _):
            for child in children { walk(child, kind.then(.transformation), masks: masks, scope, &lineage) }
        }
    }

    private func add(
        _ column: ColumnSource, _ kind: LineageEdgeKind, _ masks: [String], _ lineage: inout ExpressionLineage
    ) {
        for edge in column.direct { lineage.direct.append(edge.through(kind, masks: masks)) }
        lineage.indirect += column.indirect
    }

    private func function(
        _ call: SQLFunctionCall, _ kind: LineageEdgeKind, masks: [String], _ scope: LineageScope,
        _ lineage: inout ExpressionLineage
    ) {
        let name = call.name.last?.lowercased() ?? ""
        let qualified = call.name.joined(separator: ".").lowercased()
        let isAggregate =
            LineageAnalyzer.aggregateFunctions.contains(name)
            || (call.window == nil && (call.star || call.distinct || call.filter != nil || !call.orderBy.isEmpty))
        var innerMasks = masks
        if maskingFunctions.contains(qualified) {
            innerMasks = LineageEdge.merge(masks, [qualified])
        } else if maskingFunctions.contains(name) {
            innerMasks = LineageEdge.merge(masks, [name])
        }
        let inner = kind.then(isAggregate ? .aggregation : .transformation)
        for argument in call.arguments { walk(argument, inner, masks: innerMasks, scope, &lineage) }
        if let filter = call.filter { lineage.indirect += indirectEdges(filter, .filter, scope) }
        for expression in call.orderBy { lineage.indirect += indirectEdges(expression, .sort, scope) }
        if let window = call.window {
            for expression in windowExpressions(window, scope) {
                lineage.indirect += indirectEdges(expression, .window, scope)
            }
        }
    }

    /// Partition and order expressions of a window, following `OVER w` and `OVER (w ...)` to named windows.
    private func windowExpressions(_ window: SQLWindow, _ scope: LineageScope) -> [SQLExpression] {
        var expressions = window.partitionBy + window.orderBy
        var reference =
            window.referencedName ?? (window.partitionBy.isEmpty && window.orderBy.isEmpty ? window.name : nil)
        var steps = 0
        while let name = reference, steps < 16 {
            steps += 1
            guard let definition = namedWindow(name, scope) else {
                report("window \"\(name)\" does not exist", at: nil)
                break
            }
            expressions += definition.partitionBy + definition.orderBy
            reference = definition.referencedName
        }
        return expressions
    }

    private func namedWindow(_ name: String, _ scope: LineageScope) -> SQLWindow? {
        var current: LineageScope? = scope
        while let level = current {
            if let window = level.windows[name] { return window }
            current = level.parent
        }
        return nil
    }
}
