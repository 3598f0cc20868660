import ModelCompiler

/// SQL pieces shared by every materialization: indexes, grants, comments, contracts, hooks.
enum PlanFragments {
    /// `table`, `view` or `materialized view`: the keyword of `alter <kind>` and `drop <kind>`.
    static func keyword(_ kind: RelationListing.Kind) -> String {
        switch kind {
        case .table, .partitionedTable: return "table"
        case .view: return "view"
        case .materializedView: return "materialized view"
        case .foreign: return "foreign table"
        }
    }

    static func hooks(_ hooks: [String]) -> [PlannedStatement] {
        hooks.map { PlannedStatement($0.trimmingCharacters(in: .whitespacesAndNewlines)) }.filter { !$0.sql.isEmpty }
    }

    /// `create [unique] index "<staged index>" on <staged relation> using <type> (<columns>)`.
    static func createIndexes(
        _ indexes: [IndexConfig], schema: String, relation: String, finalName: String, suffix: String
    ) -> [PlannedStatement] {
        indexes.map { index in
            let name = stagedIndexName(index, finalName: finalName, suffix: suffix)
            let columns = index.columns.map(quoteIdentifier).joined(separator: ", ")
            return PlannedStatement(
                "create \(index.unique ? "unique " : "")index \(quoteIdentifier(name)) on \(qualifiedName(schema, relation)) using \(index.type) (\(columns))"
            )
        }
    }

    /// The name of an index while its relation is staged: never equal to a final index name
    /// (those end in `_idx`), even when long names are cut to 63 bytes.
    static func stagedIndexName(_ index: IndexConfig, finalName: String, suffix: String) -> String {
        RelationNaming.withSuffix(RelationNaming.index(relation: finalName, index: index), "__sqlt_tmp_\(suffix)")
    }

    /// Renames the staged relation's indexes to their final names (the old relation, and its
    /// indexes, were dropped earlier in the same transaction).
    static func renameIndexes(
        _ indexes: [IndexConfig], schema: String, finalName: String, suffix: String
    ) -> [PlannedStatement] {
        indexes.map { index in
            let stagedIndex = stagedIndexName(index, finalName: finalName, suffix: suffix)
            let finalIndex = RelationNaming.index(relation: finalName, index: index)
            return PlannedStatement(
                "alter index \(qualifiedName(schema, stagedIndex)) rename to \(quoteIdentifier(finalIndex))")
        }
    }

    /// Grants as a difference: revoke what is no longer configured, grant what is new.
    static func grants(
        _ wanted: [String: [String]], current: [String: Set<String>], relation: String
    ) -> [PlannedStatement] {
        var statements: [PlannedStatement] = []
        for privilege in current.keys.sorted() {
            let keep = Set(wanted[privilege] ?? [])
            let revoke = current[privilege, default: []].subtracting(keep).sorted()
            if !revoke.isEmpty {
                statements.append(
                    PlannedStatement(
                        "revoke \(privilege) on \(relation) from \(revoke.map(quoteIdentifier).joined(separator: ", "))"
                    ))
            }
        }
        for privilege in wanted.keys.sorted() {
            let grant = Set(wanted[privilege] ?? []).subtracting(current[privilege, default: []]).sorted()
            if !grant.isEmpty {
                statements.append(
                    PlannedStatement(
                        "grant \(privilege) on \(relation) to \(grant.map(quoteIdentifier).joined(separator: ", "))"))
            }
        }
        return statements
    }

    /// `comment on <kind> ...` and `comment on column ...` for the columns the relation has.
    static func comments(
        _ settings: ModelSettings, node: ManifestNode, kind: RelationListing.Kind, relation: String,
        columns: [ColumnShape]
    ) -> [PlannedStatement] {
        var statements: [PlannedStatement] = []
        if settings.persistRelationDocs {
            statements.append(
                PlannedStatement("comment on \(keyword(kind)) \(relation) is \(quoteLiteral(node.description))"))
        }
        if settings.persistColumnDocs {
            let present = Set(columns.map(\.name))
            for column in node.orderedColumns where present.contains(column.name) && !column.description.isEmpty {
                statements.append(
                    PlannedStatement(
                        "comment on column \(relation).\(quoteIdentifier(column.name)) is \(quoteLiteral(column.description))"
                    ))
            }
        }
        return statements
    }

    /// Checks the staged columns against `columns[].data_type` of an enforced contract.
    static func checkContract(_ node: ManifestNode, columns: [ColumnShape]) throws(Diagnostic) {
        let declared = node.orderedColumns
        let actual = Dictionary(columns.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
        var problems: [String] = []
        for column in declared {
            guard let type = actual[column.name] else {
                problems.append("column \(column.name) is in the contract but not returned by the model")
                continue
            }
            if let expected = column.dataType, TypeNames.normalize(expected) != TypeNames.normalize(type) {
                problems.append("column \(column.name): contract data_type \(expected), model returns \(type)")
            }
        }
        let declaredNames = Set(declared.map(\.name))
        for column in columns where !declaredNames.contains(column.name) {
            problems.append("column \(column.name) is returned by the model but not in the contract")
        }
        if !problems.isEmpty {
            throw Diagnostic.error(
                "contract-mismatch",
                "the enforced contract of model \(node.name) is not satisfied: " + problems.joined(separator: "; "),
                at: node.declaredAt ?? SourceLocation(file: node.patchPath ?? node.originalFilePath, line: 1, column: 1)
            )
        }
    }
}

/// PostgreSQL type names in one spelling, so `int` and `integer` compare equal.
enum TypeNames {
    static let aliases: [String: String] = [
        "int": "integer", "int4": "integer", "int8": "bigint", "int2": "smallint", "serial": "integer",
        "bigserial": "bigint", "float8": "double precision", "float": "double precision", "float4": "real",
        "bool": "boolean", "varchar": "character varying", "char": "character", "bpchar": "character",
        "timestamp": "timestamp without time zone", "timestamptz": "timestamp with time zone",
        "time": "time without time zone", "timetz": "time with time zone", "decimal": "numeric",
    ]

    static func normalize(_ type: String) -> String {
        let lowered = type.lowercased().trimmingCharacters(in: .whitespaces)
        guard let open = lowered.firstIndex(of: "(") else { return aliases[lowered] ?? lowered }
        let base = lowered[..<open].trimmingCharacters(in: .whitespaces)
        return (aliases[base] ?? base) + String(lowered[open...]).replacingOccurrences(of: " ", with: "")
    }
}
