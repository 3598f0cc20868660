import Foundation
import ModelCompiler

/// Drops what an interrupted run left behind: `<name>__sqlt_tmp_<id>` and `__sqlt_probe_<id>`
/// relations are built outside the swap transaction, so a process killed (or a cancel landing
/// during a node's cleanup) between building one and dropping it leaves it in the schema;
/// `__sqlt_backup_<id>` is what versions that dropped the old relation after the commit left
/// (today's swap drops it inside the transaction). `sqlt rgpd forget` sweeps them too. Runs
/// under the run lock, so no other sqlt run on the target can be using them, and only for the
/// relations this run builds (`<name>` is one of theirs, cut as `RelationNaming` cuts it).
enum LeftoverSweep {
    /// Relations of sqlt's temporary names for `relations` (schema and name of what the run builds):
    /// schema, name, and the `drop` to use.
    static func leftovers(
        of relations: [(schema: String, name: String)], session: any DatabaseSession
    ) throws(DatabaseError) -> [(schema: String, name: String, kind: String)] {
        let schemas = Set(relations.map(\.schema))
        guard !schemas.isEmpty else { return [] }
        var names: [String: [String]] = [:]
        for relation in relations { names[relation.schema, default: []].append(relation.name) }
        let result = try session.execute(
            """
            select n.nspname, c.relname, c.relkind::text
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = any($1::text[]) and c.relkind in ('r', 'v', 'm', 'p')
              and c.relname ~ '__sqlt_(tmp|probe|backup)_([0-9a-f]{1,8}|run)$'
            order by 1, 2
            """, [RelationListingReader.arrayLiteral(schemas.sorted())])
        return result.rows.compactMap { row in
            guard let schema = row[0], let name = row[1], let kind = row[2],
                let marker = ["__sqlt_tmp_", "__sqlt_probe_", "__sqlt_backup_"].lazy.compactMap({
                    name.range(of: $0, options: .backwards)
                }).first
            else { return nil }
            let base = name[..<marker.lowerBound]
            guard !base.isEmpty, names[schema]?.contains(where: { $0.hasPrefix(base) }) == true else { return nil }
            let drop = kind == "v" ? "view" : kind == "m" ? "materialized view" : "table"
            return (schema, name, drop)
        }
    }

    /// Drops them; returns the qualified names dropped. One that cannot be dropped (something
    /// depends on it) is left and not reported as dropped.
    static func drop(
        of relations: [(schema: String, name: String)], session: any DatabaseSession
    ) throws(DatabaseError) -> [String] {
        var dropped: [String] = []
        for (schema, name, kind) in try leftovers(of: relations, session: session) {
            let relation = qualifiedName(schema, name)
            if (try? session.execute("drop \(kind) if exists \(relation)")) != nil {
                dropped.append("\(schema).\(name)")
            }
        }
        return dropped
    }
}
