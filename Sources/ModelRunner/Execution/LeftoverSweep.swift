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

    /// The same leftovers found in the run's catalog snapshot (which lists every relation of the
    /// run's schemas), without a query of their own.
    static func leftovers(
        of relations: [(schema: String, name: String)], in catalog: RelationListing
    ) -> [(schema: String, name: String, kind: String)] {
        var names: [String: [String]] = [:]
        for relation in relations { names[relation.schema, default: []].append(relation.name) }
        return catalog.relations.values.filter { $0.kind != .foreign }
            .sorted { ($0.schema, $0.name) < ($1.schema, $1.name) }
            .compactMap { relation in
                guard let base = baseName(ofLeftover: relation.name), !base.isEmpty,
                    names[relation.schema]?.contains(where: { $0.hasPrefix(base) }) == true
                else { return nil }
                let drop =
                    relation.kind == .view ? "view" : relation.kind == .materializedView ? "materialized view" : "table"
                return (relation.schema, relation.name, drop)
            }
    }

    /// `<name>` of `<name>__sqlt_(tmp|probe|backup)_<1 to 8 lowercase hex digits, or run>`; nil
    /// for any other name.
    static func baseName(ofLeftover name: String) -> Substring? {
        for marker in ["__sqlt_tmp_", "__sqlt_probe_", "__sqlt_backup_"] {
            guard let range = name.range(of: marker, options: .backwards) else { continue }
            let id = name[range.upperBound...]
            let hex =
                id.utf8.count <= 8 && id.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
            if id == "run" || (!id.isEmpty && hex) { return name[..<range.lowerBound] }
        }
        return nil
    }

    /// Drops the leftovers the catalog snapshot shows; returns the qualified names dropped and
    /// the snapshot without them.
    static func drop(
        of relations: [(schema: String, name: String)], in catalog: RelationListing, session: any DatabaseSession
    ) -> (dropped: [String], catalog: RelationListing) {
        var catalog = catalog
        var dropped: [String] = []
        for (schema, name, kind) in leftovers(of: relations, in: catalog) {
            if (try? session.execute("drop \(kind) if exists \(qualifiedName(schema, name))")) != nil {
                dropped.append("\(schema).\(name)")
                catalog.relations["\(schema).\(name)"] = nil
            }
        }
        return (dropped, catalog)
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
