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
            return derived(lineage, name: alias?.name, location: nil)
        case .function(let calls, let alias, let ordinality, let location):
            return function(calls: calls, alias: alias, ordinality: ordinality, location: location, scope)
        case .join(let join):
            return self.join(join, scope)
        case .other(let kind, let expressions):
            report("cannot trace columns of a \(kind) in the from clause", at: expressions.first?.location)
            return FromLineage(
                entries: [], star: [.unknown(OpenColumns(name: kind, relation: nil, indirect: []))], merged: [:],
                levelIndirect: [])
        }
    }

    private func relation(
        schema: String?, name: String, alias: SQLAlias?, location: Int?, _ scope: LineageScope
    ) -> FromLineage {
        if schema == nil, let cte = scope.cte(name) {
            return derived(cte.renamed(alias?.columnNames ?? []), name: alias?.name ?? name, location: location)
        }
        let relation = RelationRef(schema: schema, name: name)
        noteInput(relation)
        let entryName = alias?.name ?? name
        var entry = RangeEntry(
            name: entryName, schema: alias == nil ? schema : nil, relation: relation, columns: [], location: location)
        if let known = catalog.columns(of: relation) {
            entry.columns = known.map { ColumnSource.base(relation, $0) }
            for (index, name) in (alias?.columnNames ?? []).enumerated() where index < entry.columns.count {
                entry.columns[index].name = name
            }
        } else {
            let shown = entryName == name ? relation.description : "\(relation) (\(entryName))"
            entry.rest = OpenColumns(name: shown, relation: relation, indirect: [])
        }
        return FromLineage(entries: [entry], star: StarPart.of(entry), merged: [:], levelIndirect: [])
    }

    /// A CTE reference or derived table: its columns, and its unknown ones when a `*` left them open.
    private func derived(_ lineage: QueryLineage, name: String?, location: Int?) -> FromLineage {
        var rest = lineage.open
        if let name, rest != nil { rest?.name = name }
        let entry = RangeEntry(name: name, columns: lineage.columns, rest: rest, location: location)
        return FromLineage(
            entries: [entry], star: StarPart.of(entry), merged: [:], levelIndirect: lineage.levelIndirect)
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
            let rest = OpenColumns(name: functionName ?? "function", relation: nil, indirect: [])
            let entry = RangeEntry(name: entryName, columns: [], rest: rest, location: location)
            return FromLineage(entries: [entry], star: StarPart.of(entry), merged: [:], levelIndirect: [])
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
            var columns: [ColumnSource] = []
            var unknown: [OpenColumns] = []
            for part in star {
                switch part {
                case .known(let known): columns += known
                case .unknown(let rest): unknown.append(rest)
                }
            }
            for (index, name) in alias.columnNames.enumerated() where index < columns.count {
                columns[index].name = name
            }
            let entry = RangeEntry(name: alias.name, columns: columns, rest: OpenColumns.merged(unknown))
            return FromLineage(entries: [entry], star: StarPart.of(entry), merged: [:], levelIndirect: level)
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
        if known.isEmpty, from.entries.count == 1, let rest = from.entries[0].rest { return rest.column(name) }
        return nil
    }

    /// The columns of `*` or `t.*`, and the parts whose columns are unknown (the caller reports or keeps them open).
    func expandStar(
        _ reference: SQLColumnReference, _ scope: LineageScope
    ) -> (columns: [ColumnSource], unknown: [OpenColumns]) {
        var parts: [StarPart] = []
        if reference.parts.isEmpty {
            if scope.star.isEmpty { report("select * without a from clause", at: reference.location) }
            parts = scope.star
        } else {
            let qualifier = reference.parts[reference.parts.count - 1]
            let schema = reference.parts.count >= 2 ? reference.parts[reference.parts.count - 2] : nil
            var current: LineageScope? = scope
            var found = false
            while let level = current, !found {
                let matches = level.entries(named: qualifier, schema: schema)
                if matches.count > 1 {
                    report("table reference \"\(qualifier)\" is ambiguous", at: reference.location)
                    return ([], [])
                }
                if let entry = matches.first {
                    parts = StarPart.of(entry)
                    found = true
                }
                current = level.parent
            }
            if !found {
                report("missing from-clause entry for table \"\(qualifier)\"", at: reference.location)
                return ([], [])
            }
        }
        var columns: [ColumnSource] = []
        var unknown: [OpenColumns] = []
        for part in parts {
            switch part {
            case .known(let known): columns += known
            case .unknown(let rest): unknown.append(rest)
            }
        }
        return (columns, unknown)
    }

    /// Reports the parts of a `*` whose columns are unknown.
    func reportUnknownStar(_ reference: SQLColumnReference, _ unknown: [OpenColumns]) {
        let written = reference.parts.isEmpty ? "*" : reference.parts.joined(separator: ".") + ".*"
        for rest in unknown {
            report("cannot expand \(written): the columns of \(rest.name) are unknown", at: reference.location)
        }
    }
}
