/// Column references: qualified by a `FROM` entry, or unqualified and searched among the known columns.
extension QueryLineageBuilder {
    private enum Lookup {
        case found(ColumnSource)
        case failed
        case notFound
    }

    /// The lineage of the column a reference names, or nil (with an issue) when it cannot be told for sure.
    func resolve(_ reference: SQLColumnReference, _ scope: LineageScope) -> ColumnSource? {
        let parts = reference.parts
        guard let column = parts.last else { return nil }
        var current: LineageScope? = scope
        if parts.count == 1 {
            while let level = current {
                switch unqualified(column, in: level, location: reference.location) {
                case .found(let source): return source
                case .failed: return nil
                case .notFound: current = level.parent
                }
            }
            if let whole = wholeRow(column, scope, location: reference.location) { return whole }
            report(
                "column \"\(column)\" is not a known column of any relation in the from clause", at: reference.location)
            return nil
        }
        let qualifier = parts[parts.count - 2]
        let schema = parts.count >= 3 ? parts[parts.count - 3] : nil
        let written = parts.joined(separator: ".")
        while let level = current {
            let matches = level.entries(named: qualifier, schema: schema)
            if matches.count > 1 {
                report("table reference \"\(qualifier)\" is ambiguous", at: reference.location)
                return nil
            }
            if let entry = matches.first {
                if let source = entry.column(column) { return source }
                // The relation is certain; a catalog from property files may list only some columns.
                if let relation = entry.relation { return .base(relation, column) }
                if let rest = entry.rest {
                    if let source = rest.column(column) { return source }
                    report("cannot resolve \(written): the columns of \(rest.name) are unknown", at: reference.location)
                } else {
                    report("column \(written) does not exist", at: reference.location)
                }
                return nil
            }
            current = level.parent
        }
        report("missing from-clause entry for table \"\(qualifier)\"", at: reference.location)
        return nil
    }

    /// A bare relation name used as a value (`row_to_json(c)`): every column of that relation.
    private func wholeRow(_ name: String, _ scope: LineageScope, location: Int?) -> ColumnSource? {
        var current: LineageScope? = scope
        while let level = current {
            let matches = level.entries(named: name, schema: nil)
            if let entry = matches.first, matches.count == 1 {
                if let rest = entry.rest {
                    report(
                        "cannot trace whole-row reference \"\(name)\": the columns of \(rest.name) are unknown",
                        at: location)
                }
                return ColumnSource(
                    name: name,
                    direct: entry.columns.flatMap { $0.direct.map { $0.through(.transformation, masks: []) } },
                    indirect: entry.columns.flatMap(\.indirect))
            }
            current = level.parent
        }
        return nil
    }

    private func unqualified(_ name: String, in scope: LineageScope, location: Int?) -> Lookup {
        if let merged = scope.merged[name] { return .found(merged) }
        var known: [(entry: RangeEntry, column: ColumnSource)] = []
        for entry in scope.entries {
            if let column = entry.column(name) { known.append((entry, column)) }
        }
        if known.count == 1 { return .found(known[0].column) }
        if known.count > 1 {
            let names = known.map { describe($0.entry) }.joined(separator: ", ")
            report("column reference \"\(name)\" is ambiguous: it is a column of \(names)", at: location)
            return .failed
        }
        let unknown = scope.entries.compactMap(\.rest)
        if unknown.count == 1 {
            // Only a lone relation takes the column: known catalogs may list just the documented columns.
            if scope.entries.count == 1, let source = unknown[0].column(name) { return .found(source) }
            report("cannot resolve column \"\(name)\": the columns of \(unknown[0].name) are unknown", at: location)
            return .failed
        }
        if unknown.count > 1 {
            let names = unknown.map(\.name).joined(separator: ", ")
            report("column reference \"\(name)\" is ambiguous: the columns of \(names) are unknown", at: location)
            return .failed
        }
        return .notFound
    }

    private func describe(_ entry: RangeEntry) -> String {
        if let relation = entry.relation {
            if let name = entry.name, name != relation.name { return "\(relation) (\(name))" }
            return relation.description
        }
        return entry.name ?? "a subquery"
    }
}
