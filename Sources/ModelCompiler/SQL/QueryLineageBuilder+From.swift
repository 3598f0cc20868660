/// `FROM` items: relations, CTE references, derived tables, set-returning functions and joins.
extension QueryLineageBuilder {
    /// Functions that return one column, named after the alias or the function.
    static let singleColumnFunctions: Set<String> = [
        "unnest", "generate_series", "regexp_matches", "regexp_split_to_table", "string_to_table",
        "json_array_elements", "json_array_elements_text", "jsonb_array_elements", "jsonb_array_elements_text",
        "generate_subscripts",
    ]

    func fromItem(_ item: SQLFromItem, _ scope: LineageScope) -> FromLineage {
        switch item {
        case .relation(let schema, let name, let alias, let location):
            return relation(schema: schema, name: name, alias: alias, location: location, scope)
        case .subquery(let select, let alias, _):
            let lineage = query(select, parent: scope).renamed(alias?.columnNames ?? [])
            let entry = RangeEntry(name: alias?.name, columns: lineage.columns)
            return FromLineage(
                entries: [entry], star: [.known(lineage.columns)], merged: [:], levelIndirect: lineage.levelIndirect)
        case .function(let calls, let alias, let ordinality, let location):
            return function(calls: calls, alias: alias, ordinality: ordinality, location: location, scope)
        case .join(let join):
            return self.join(join, scope)
        case .other(let kind, let expressions):
            report("cannot trace columns of a \(kind) in the from clause", at: expressions.first?.location)
            return FromLineage(
                entries: [], star: [.unknown(name: kind, location: nil)], merged: [:],
                levelIndirect: [])
        }
    }

    private func relation(
        schema: String?, name: String, alias: SQLAlias?, location: Int?, _ scope: LineageScope
    ) -> FromLineage {
        if schema == nil, let cte = scope.cte(name) {
            let lineage = cte.renamed(alias?.columnNames ?? [])
            let entry = RangeEntry(name: alias?.name ?? name, columns: lineage.columns, location: location)
            return FromLineage(
                entries: [entry], star: [.known(lineage.columns)], merged: [:], levelIndirect: lineage.levelIndirect)
        }
        let relation = RelationRef(schema: schema, name: name)
        noteInput(relation)
        var columns = catalog.columns(of: relation)?.map { ColumnSource.base(relation, $0) }
        if let names = alias?.columnNames, !names.isEmpty, var known = columns {
            for (index, name) in names.enumerated() where index < known.count { known[index].name = name }
            columns = known
        }
        let entry = RangeEntry(
            name: alias?.name ?? name, schema: alias == nil ? schema : nil, relation: relation, columns: columns,
            location: location)
        let star: [StarPart] = columns.map { [.known($0)] } ?? [.unknown(name: relation.description, location: location)]
        return FromLineage(entries: [entry], star: star, merged: [:], levelIndirect: [])
    }

    private func function(
        calls: [SQLExpression], alias: SQLAlias?, ordinality: Bool, location: Int?, _ scope: LineageScope
    ) -> FromLineage {
        var lineage = ExpressionLineage()
        for call in calls { walk(call, .identity, masks: [], scope, &lineage) }
        var functionName: String?
        if calls.count == 1, case .function(let call) = calls[0] { functionName = call.name.last }
        var names = alias?.columnNames ?? []
        var ordinalityName: String?
        if ordinality, !names.isEmpty, names.count > calls.count { ordinalityName = names.removeLast() }
        if names.isEmpty, let functionName, Self.singleColumnFunctions.contains(functionName) {
            names = [alias?.name ?? functionName]
        }
        let entryName = alias?.name ?? functionName
        guard !names.isEmpty else {
            let shown = functionName ?? "function"
            return FromLineage(
                entries: [RangeEntry(name: entryName, columns: nil, location: location)],
                star: [.unknown(name: shown, location: location)], merged: [:], levelIndirect: [])
        }
        var columns = names.map { ColumnSource(name: $0, direct: lineage.direct, indirect: lineage.indirect) }
        if ordinality { columns.append(ColumnSource(name: ordinalityName ?? "ordinality", direct: [], indirect: [])) }
        return FromLineage(
            entries: [RangeEntry(name: entryName, columns: columns, location: location)], star: [.known(columns)],
            merged: [:], levelIndirect: [])
    }

    private func join(_ join: SQLJoin, _ scope: LineageScope) -> FromLineage {
        // The right side and the condition see the left side (LATERAL, ON); restore the scope afterwards.
        let saved = (scope.entries, scope.star, scope.merged)
        defer { (scope.entries, scope.star, scope.merged) = saved }
        let left = fromItem(join.left, scope)
        scope.add(left)
        let right = fromItem(join.right, scope)
        var using = join.using
        if join.natural { using = naturalColumns(left, right) }
        var merged: [String: ColumnSource] = [:]
        var mergedOrder: [ColumnSource] = []
        var level = left.levelIndirect + right.levelIndirect
        for name in using {
            let leftColumn = column(name, in: left)
            let rightColumn = column(name, in: right)
            guard let leftColumn, let rightColumn else {
                report("cannot resolve join column \"\(name)\": it is not a known column of both sides", at: nil)
                continue
            }
            let column: ColumnSource
            switch join.kind {
            case .right: column = rightColumn.renamed(name)
            case .full:
                column = ColumnSource(
                    name: name,
                    direct: (leftColumn.direct + rightColumn.direct).map { $0.through(.transformation, masks: []) },
                    indirect: leftColumn.indirect + rightColumn.indirect)
            default: column = leftColumn.renamed(name)
            }
            merged[name] = column
            mergedOrder.append(column)
            for side in [leftColumn, rightColumn] {
                level += side.direct.map { $0.indirect(.join, masks: []) } + side.indirect
            }
        }
        scope.add(right)
        if let condition = join.condition { level += indirectEdges(condition, .join, scope) }
        let usingNames = Set(using)
        let star: [StarPart] =
            (mergedOrder.isEmpty ? [] : [.known(mergedOrder)]) + left.star.map { $0.removing(usingNames) }
            + right.star.map { $0.removing(usingNames) }
        if let alias = join.alias {
            var columns: [ColumnSource]? = []
            for part in star {
                if case .known(let known) = part { columns? += known } else { columns = nil }
            }
            if var known = columns {
                for (index, name) in alias.columnNames.enumerated() where index < known.count { known[index].name = name }
                columns = known
            }
            return FromLineage(
                entries: [RangeEntry(name: alias.name, columns: columns)],
                star: columns.map { [.known($0)] } ?? [.unknown(name: alias.name, location: nil)], merged: [:],
                levelIndirect: level)
        }
        var allMerged = left.merged
        for (name, column) in right.merged { allMerged[name] = column }
        for (name, column) in merged { allMerged[name] = column }
        return FromLineage(entries: left.entries + right.entries, star: star, merged: allMerged, levelIndirect: level)
    }

    /// Columns both sides of a NATURAL join know, in the left side's order.
    private func naturalColumns(_ left: FromLineage, _ right: FromLineage) -> [String] {
        func names(_ from: FromLineage) -> [String]? {
            var result: [String] = []
            for part in from.star {
                guard case .known(let columns) = part else { return nil }
                result += columns.map(\.name)
            }
            return result
        }
        guard let leftNames = names(left), let rightNames = names(right) else {
            report("cannot trace a natural join with a relation whose columns are unknown", at: nil)
            return []
        }
        let rightSet = Set(rightNames)
        return leftNames.filter { rightSet.contains($0) }
    }

    /// An unqualified column within one `FROM` item (for `USING`).
    private func column(_ name: String, in from: FromLineage) -> ColumnSource? {
        if let merged = from.merged[name] { return merged }
        let known = from.entries.compactMap { $0.column(name) }
        if known.count == 1 { return known[0] }
        if known.isEmpty {
            let unknown = from.entries.filter { $0.columns == nil }
            if unknown.count == 1, let relation = unknown[0].relation { return .base(relation, name) }
        }
        return nil
    }

    /// The columns of `*` or `t.*`; unknown relations become issues.
    func expandStar(_ reference: SQLColumnReference, _ scope: LineageScope) -> [ColumnSource] {
        if reference.parts.isEmpty {
            if scope.star.isEmpty { report("select * without a from clause", at: reference.location) }
            var columns: [ColumnSource] = []
            for part in scope.star {
                switch part {
                case .known(let known): columns += known
                case .unknown(let name, _):
                    report("cannot expand *: the columns of \(name) are unknown", at: reference.location)
                }
            }
            return columns
        }
        let qualifier = reference.parts[reference.parts.count - 1]
        let schema = reference.parts.count >= 2 ? reference.parts[reference.parts.count - 2] : nil
        var current: LineageScope? = scope
        while let level = current {
            let matches = level.entries(named: qualifier, schema: schema)
            if matches.count > 1 {
                report("table reference \"\(qualifier)\" is ambiguous", at: reference.location)
                return []
            }
            if let entry = matches.first {
                if let columns = entry.columns { return columns }
                let name = entry.relation?.description ?? qualifier
                report("cannot expand \(qualifier).*: the columns of \(name) are unknown", at: reference.location)
                return []
            }
            current = level.parent
        }
        report("missing from-clause entry for table \"\(qualifier)\"", at: reference.location)
        return []
    }
}
