/// Walks one parsed query, level by level, and traces every output column to base relations.
///
/// Each query level (CTE, derived table, subquery, set-operation branch) is analysed once, so the
/// work is linear in the size of the tree. Unresolvable references become issues, never guesses.
final class QueryLineageBuilder {
    let catalog: any ColumnLookup
    let maskingFunctions: Set<String>
    private(set) var issues: [LineageIssue] = []
    private(set) var datasetInputs: [RelationRef] = []
    private var seenIssues: Set<LineageIssue> = []
    private var seenInputs: Set<RelationRef> = []

    init(catalog: some ColumnLookup, maskingFunctions: Set<String>) {
        self.catalog = catalog
        self.maskingFunctions = maskingFunctions
    }

    func report(_ message: String, at location: Int?) {
        let issue = LineageIssue(message: message, utf8Offset: location)
        if seenIssues.insert(issue).inserted { issues.append(issue) }
    }

    func noteInput(_ relation: RelationRef) {
        if seenInputs.insert(relation).inserted { datasetInputs.append(relation) }
    }

    // MARK: Query levels

    /// The lineage of one query level, resolving outer references through `parent`.
    ///
    /// `isOutput` marks the model's own result (and its set-operation branches): there a `*` over
    /// unknown columns is an issue; in a CTE or subquery it leaves the level open instead.
    func query(_ select: SQLSelect, parent: LineageScope?, isOutput: Bool = false) -> QueryLineage {
        let scope = LineageScope(parent: parent)
        if let with = select.with { addCommonTableExpressions(with, to: scope) }
        if select.operands.count >= 2 { return setOperation(select, scope, isOutput: isOutput) }
        if !select.values.isEmpty { return values(select.values, scope) }
        return plainSelect(select, scope, isOutput: isOutput)
    }

    private func addCommonTableExpressions(_ with: SQLWith, to scope: LineageScope) {
        for cte in with.ctes {
            if with.recursive, cte.query.operands.count >= 2 {
                // The non-recursive branch gives the columns the recursive reference sees.
                scope.ctes[cte.name] = query(cte.query.operands[0], parent: scope).renamed(cte.columnNames)
            }
            scope.ctes[cte.name] = query(cte.query, parent: scope).renamed(cte.columnNames)
        }
    }

    private func setOperation(_ select: SQLSelect, _ scope: LineageScope, isOutput: Bool) -> QueryLineage {
        let first = query(select.operands[0], parent: scope, isOutput: isOutput)
        var columns = first.columns
        var level = first.levelIndirect
        var open = first.open.map { [$0] } ?? []
        for operand in select.operands.dropFirst() {
            let branch = query(operand, parent: scope, isOutput: isOutput)
            if branch.columns.count != columns.count, branch.open == nil, open.isEmpty {
                let name = select.setOperation?.kind.rawValue ?? "union"
                report("each \(name) query must have the same number of columns", at: nil)
            }
            for index in columns.indices where index < branch.columns.count {
                columns[index].direct += branch.columns[index].direct
                columns[index].indirect += branch.columns[index].indirect
            }
            level += branch.levelIndirect
            if let rest = branch.open { open.append(rest) }
        }
        for expression in select.orderBy {
            if let output = outputColumn(expression, in: columns, scope: scope, preferOutput: true) {
                level += output.direct.map { $0.indirect(.sort, masks: []) } + output.indirect
            } else {
                report("order by of a set operation must name an output column", at: expression.location)
            }
        }
        let rest = OpenColumns.merged(open).map { OpenColumns(name: $0.name, relation: nil, indirect: $0.indirect) }
        return finish(columns, level: level, open: rest)
    }

    private func values(_ rows: [[SQLExpression]], _ scope: LineageScope) -> QueryLineage {
        let width = rows.map(\.count).max() ?? 0
        var columns = (0..<width).map { ColumnSource(name: "column\($0 + 1)", direct: [], indirect: []) }
        for row in rows {
            for (index, expression) in row.enumerated() {
                var lineage = ExpressionLineage()
                walk(expression, .identity, masks: [], scope, &lineage)
                columns[index].direct += lineage.direct
                columns[index].indirect += lineage.indirect
            }
        }
        return finish(columns, level: [])
    }

    private func plainSelect(_ select: SQLSelect, _ scope: LineageScope, isOutput: Bool) -> QueryLineage {
        for window in select.windows {
            if let name = window.name { scope.windows[name] = window }
        }
        var level: [LineageEdge] = []
        for item in select.from {
            let from = fromItem(item, scope)
            scope.add(from)
            level += from.levelIndirect
        }
        var columns: [ColumnSource] = []
        var unknown: [OpenColumns] = []
        for target in select.targets {
            if case .column(let reference) = target.value, reference.isStar {
                let expansion = expandStar(reference, scope)
                columns += expansion.columns
                if isOutput { reportUnknownStar(reference, expansion.unknown) } else { unknown += expansion.unknown }
                continue
            }
            var lineage = ExpressionLineage()
            walk(target.value, .identity, masks: [], scope, &lineage)
            columns.append(
                ColumnSource(
                    name: SQLColumnNaming.name(of: target), direct: lineage.direct, indirect: lineage.indirect))
        }
        if let condition = select.whereClause { level += indirectEdges(condition, .filter, scope) }
        for expression in select.groupBy {
            level += clauseEdges(expression, .groupBy, columns, scope, preferOutput: false)
        }
        if let condition = select.having { level += indirectEdges(condition, .filter, scope) }
        for expression in select.distinctOn {
            level += clauseEdges(expression, .groupBy, columns, scope, preferOutput: true)
        }
        for expression in select.orderBy { level += clauseEdges(expression, .sort, columns, scope, preferOutput: true) }
        return finish(columns, level: level, open: OpenColumns.merged(unknown))
    }

    /// Deduplicates and attaches the level's INDIRECT edges to every column.
    private func finish(_ columns: [ColumnSource], level: [LineageEdge], open: OpenColumns? = nil) -> QueryLineage {
        let level = LineageEdge.unique(level)
        let columns = columns.map { column in
            ColumnSource(
                name: column.name, direct: LineageEdge.unique(column.direct),
                indirect: LineageEdge.unique(column.indirect + level))
        }
        var open = open
        if let rest = open { open?.indirect = LineageEdge.unique(rest.indirect + level) }
        return QueryLineage(columns: columns, levelIndirect: level, open: open)
    }

    /// Edges of a `GROUP BY`/`ORDER BY` entry, which may name a select-list position or output column.
    private func clauseEdges(
        _ expression: SQLExpression, _ kind: LineageEdgeKind, _ outputs: [ColumnSource], _ scope: LineageScope,
        preferOutput: Bool
    ) -> [LineageEdge] {
        if case .integer(let position, let location) = expression {
            guard position >= 1, position <= outputs.count else {
                report("position \(position) is not in select list", at: location)
                return []
            }
            let output = outputs[position - 1]
            return output.direct.map { $0.indirect(kind, masks: []) } + output.indirect
        }
        if let output = outputColumn(expression, in: outputs, scope: scope, preferOutput: preferOutput) {
            return output.direct.map { $0.indirect(kind, masks: []) } + output.indirect
        }
        return indirectEdges(expression, kind, scope)
    }

    /// The output column a bare name refers to: for ORDER BY output names win, for GROUP BY input columns win.
    private func outputColumn(
        _ expression: SQLExpression, in outputs: [ColumnSource], scope: LineageScope, preferOutput: Bool
    ) -> ColumnSource? {
        if case .integer(let position, _) = expression, position >= 1, position <= outputs.count {
            return outputs[position - 1]
        }
        guard case .column(let reference) = expression, !reference.isStar, reference.parts.count == 1 else {
            return nil
        }
        let name = reference.parts[0]
        let matches = outputs.filter { $0.name == name }
        guard matches.count == 1 else { return nil }
        if preferOutput || !knowsColumn(name, scope) { return matches[0] }
        return nil
    }

    private func knowsColumn(_ name: String, _ scope: LineageScope) -> Bool {
        // Relations with unknown columns do not count: the output alias is then the likelier meaning.
        scope.merged[name] != nil || scope.entries.contains { $0.column(name) != nil }
    }

    /// The INDIRECT edges of a clause expression of the given kind.
    func indirectEdges(_ expression: SQLExpression, _ kind: LineageEdgeKind, _ scope: LineageScope) -> [LineageEdge] {
        var lineage = ExpressionLineage()
        walk(expression, .identity, masks: [], scope, &lineage)
        return lineage.direct.map { $0.indirect(kind, masks: []) } + lineage.indirect
    }
}
