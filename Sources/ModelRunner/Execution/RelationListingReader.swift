import ModelCompiler

/// The one batched catalog look-up of a run: relations and their columns in the given schemas.
public enum RelationListingReader {
    /// Reads every table, view, materialized view, partitioned and foreign table of `schemas`
    /// (with columns and `format_type`) in one query.
    public static func read(
        schemas: Set<String>, session: any DatabaseSession
    ) throws(DatabaseError) -> RelationListing {
        guard !schemas.isEmpty else { return RelationListing() }
        let result = try session.execute(
            """
            select n.nspname, c.relname, c.relkind::text, a.attname, format_type(a.atttypid, a.atttypmod)
            from pg_class c
            join pg_namespace n on n.oid = c.relnamespace
            left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
            where n.nspname = any($1::text[]) and c.relkind in ('r', 'v', 'm', 'p', 'f') and not c.relispartition
            order by n.nspname, c.relname, a.attnum
            """, [arrayLiteral(schemas.sorted())]
        )
        var relations: [String: RelationListing.Relation] = [:]
        for row in result.rows {
            guard let schema = row[0], let name = row[1], let kind = row[2].flatMap(Self.kind) else { continue }
            let key = "\(schema).\(name)"
            var relation =
                relations[key] ?? RelationListing.Relation(schema: schema, name: name, kind: kind, columns: [])
            if let column = row[3] { relation.columns.append((name: column, type: row[4] ?? "")) }
            relations[key] = relation
        }
        return RelationListing(relations: relations)
    }

    static func kind(_ relkind: String) -> RelationListing.Kind? {
        switch relkind {
        case "r": return .table
        case "v": return .view
        case "m": return .materializedView
        case "p": return .partitionedTable
        case "f": return .foreign
        default: return nil
        }
    }

    /// A PostgreSQL text array literal (`{"a","b"}`) for a `$n::text[]` parameter.
    static func arrayLiteral(_ values: [String]) -> String {
        "{"
            + values.map {
                "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    + "\""
            }.joined(separator: ",") + "}"
    }
}
