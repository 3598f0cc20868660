import Foundation
import ModelCompiler

/// The views and materialized views that depend (directly or through other views) on a relation
/// about to be replaced. Replacing a relation drops the old one; PostgreSQL refuses that while
/// views depend on it, and `drop ... cascade` would drop them (a user's BI view, or a downstream
/// view this run does not rebuild). So the swap transaction drops them first (deepest first),
/// drops the old relation without `cascade`, puts the new one in place, and recreates them from
/// their definitions (`pg_get_viewdef`) with their options, owner, grants, comments, indexes,
/// triggers and rules, in dependency order. Readers wait on the transaction's locks and then see
/// the new relations: never none.
struct DependentViews {
    /// One dependent view as the catalog showed it inside the swap transaction.
    struct View: Sendable, Hashable {
        var schema: String
        var name: String
        var isMaterialized: Bool
        /// The defining query, without a final `;`.
        var definition: String
        /// `reloptions` such as `security_barrier=true` or `check_option=local`.
        var options: [String]
        /// The owner when it is not the current role (then `alter ... owner to`).
        var otherOwner: String?
        /// `grant` statements restoring the privileges of roles other than the owner.
        var grants: [String]
        var comment: String?
        var columnComments: [(column: String, comment: String)]
        /// Materialized views: `create index` statements; any view: triggers and extra rules.
        var extraDefinitions: [String]
        var isPopulated: Bool

        static func == (lhs: View, rhs: View) -> Bool { lhs.schema == rhs.schema && lhs.name == rhs.name }
        func hash(into hasher: inout Hasher) { hasher.combine(schema); hasher.combine(name) }

        var qualified: String { qualifiedName(schema, name) }
        var key: String { "\(schema).\(name)" }
        var keyword: String { isMaterialized ? "materialized view" : "view" }

        /// `drop view` (no cascade: anything else depending on it makes the swap fail instead).
        var dropStatement: String { "drop \(keyword) \(qualified)" }

        /// The statements that recreate the view as it was.
        var createStatements: [String] {
            let with = options.isEmpty ? "" : " with (\(options.joined(separator: ", ")))"
            var statements = [
                "create \(keyword) \(qualified)\(with) as \(definition)\(isMaterialized ? (isPopulated ? " with data" : " with no data") : "")"
            ]
            statements += extraDefinitions
            if let otherOwner {
                statements.append("alter \(keyword) \(qualified) owner to \(quoteIdentifier(otherOwner))")
            }
            statements += grants.map { $0.replacingOccurrences(of: "%RELATION%", with: qualified) }
            if let comment { statements.append("comment on \(keyword) \(qualified) is \(quoteLiteral(comment))") }
            for (column, comment) in columnComments {
                statements.append(
                    "comment on column \(qualified).\(quoteIdentifier(column)) is \(quoteLiteral(comment))")
            }
            return statements
        }
    }

    /// Taken first in every swap transaction that replaces a relation: two swaps sharing a
    /// dependent view (a view over two tables rebuilt at the same time) would otherwise read, drop
    /// and recreate it concurrently ("could not open relation with OID"). Only the short swap
    /// transactions wait; the builds of the staged relations still run in parallel.
    static let serializeSwaps = "select pg_advisory_xact_lock(hashtextextended('sqlt:swap', 0))"

    /// Dependents in dependency order (each after every view it reads).
    let views: [View]

    var isEmpty: Bool { views.isEmpty }

    /// Reads the dependents of `relation` (a qualified, quoted name) in one query.
    static func read(of relation: String, session: any DatabaseSession) throws(DatabaseError) -> DependentViews {
        let result = try session.execute(Self.query, [relation])
        var views: [View] = []
        for row in result.rows {
            guard let schema = row[0], let name = row[1], let kind = row[2], let definition = row[3] else { continue }
            var body = definition.trimmingCharacters(in: .whitespacesAndNewlines)
            while body.hasSuffix(";") { body.removeLast() }
            let columnComments = Self.pairs(row[8]).map { (column: $0.0, comment: $0.1) }
            let grants = Self.pairs(row[6]).map { grantee, privilege -> String in
                let withGrant = privilege.hasSuffix("*")
                let keyword = withGrant ? String(privilege.dropLast()) : privilege
                let role = grantee.isEmpty ? "public" : quoteIdentifier(grantee)
                return "grant \(keyword.lowercased()) on %RELATION% to \(role)\(withGrant ? " with grant option" : "")"
            }
            views.append(
                View(
                    schema: schema, name: name, isMaterialized: kind == "m", definition: body,
                    options: Self.strings(row[4]), otherOwner: row[5], grants: grants, comment: row[7],
                    columnComments: columnComments, extraDefinitions: Self.strings(row[9]), isPopulated: row[10] != "f")
            )
        }
        return DependentViews(views: views)
    }

    /// Recursive dependents through `pg_rewrite` (a view's `_RETURN` rule depends on what it reads),
    /// ordered by their longest path from the relation, so each comes after what it reads.
    static let query = """
        with recursive dependents(oid, depth) as (
          select r.ev_class, 1 from pg_depend d join pg_rewrite r on r.oid = d.objid
          where d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass
            and d.refobjid = to_regclass($1) and r.ev_class <> d.refobjid
          union
          select r.ev_class, dependents.depth + 1 from dependents
          join pg_depend d on d.refobjid = dependents.oid and d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass
          join pg_rewrite r on r.oid = d.objid
          where r.ev_class <> dependents.oid and dependents.depth < 100
        ), ordered as (select oid, max(depth) as depth from dependents group by oid)
        select n.nspname, c.relname, c.relkind::text, pg_get_viewdef(c.oid),
          (select json_agg(o) from unnest(c.reloptions) o)::text,
          nullif(pg_get_userbyid(c.relowner), current_user::text),
          (select json_agg(json_build_array(case when x.grantee = 0 then '' else pg_get_userbyid(x.grantee) end,
                                            x.privilege_type || case when x.is_grantable then '*' else '' end))
             from aclexplode(c.relacl) x where x.grantee <> c.relowner)::text,
          obj_description(c.oid, 'pg_class'),
          (select json_agg(json_build_array(a.attname, ds.description) order by a.attnum)
             from pg_attribute a join pg_description ds
               on ds.objoid = c.oid and ds.classoid = 'pg_class'::regclass and ds.objsubid = a.attnum
             where a.attrelid = c.oid and a.attnum > 0)::text,
          (select json_agg(x.def) from (
             select pg_get_indexdef(i.indexrelid) as def from pg_index i where i.indrelid = c.oid
             union all select pg_get_triggerdef(t.oid) from pg_trigger t where t.tgrelid = c.oid and not t.tgisinternal
             union all select pg_get_ruledef(rw.oid) from pg_rewrite rw where rw.ev_class = c.oid and rw.rulename <> '_RETURN'
           ) x)::text,
          c.relispopulated::text
        from ordered join pg_class c on c.oid = ordered.oid join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('v', 'm')
        order by ordered.depth, n.nspname, c.relname
        """

    /// The statements dropping every dependent, deepest first, as one script.
    var dropScript: String { views.reversed().map(\.dropStatement).joined(separator: ";\n") }

    /// Recreates every dependent after the new relation is in place, inside the transaction: all
    /// in one round trip when they all fit the new relation; otherwise one by one, leaving out a
    /// view this run rebuilds anyway (`rebuiltByThisRun`, `schema.name`: its own node creates it)
    /// and failing, so that the whole swap rolls back, for any other (never dropping what the
    /// run does not rebuild).
    /// Returns the views left out (`schema.name`).
    func recreate(
        replacing relation: String, recorder: StatementRecorder, rebuiltByThisRun: Set<String>
    ) throws(DatabaseError) -> [String] {
        let all = views.flatMap(\.createStatements)
        do {
            try recorder.run(
                "savepoint sqlt_dependents;\n" + all.joined(separator: ";\n") + ";\nrelease savepoint sqlt_dependents")
            return []
        } catch {
            try recorder.run("rollback to savepoint sqlt_dependents")
            recorder.forgetFailure()
        }
        var left: [String] = []
        for view in views {
            do {
                try recorder.run(
                    "savepoint sqlt_dependent;\n" + view.createStatements.joined(separator: ";\n")
                        + ";\nrelease savepoint sqlt_dependent")
            } catch {
                try recorder.run("rollback to savepoint sqlt_dependent")
                if rebuiltByThisRun.contains(view.key) {
                    recorder.forgetFailure()
                    left.append(view.key)
                    continue
                }
                var refusal = DatabaseError(
                    sqlState: error.sqlState,
                    message:
                        "cannot replace \(relation): \(view.keyword) \(view.key) depends on it, is not rebuilt by this run, and cannot be recreated on the new relation: \(error.message)",
                    detail: error.detail,
                    hint:
                        "select \(view.key) in the same run (if it is a model), or change or drop it first; the previous relation is kept"
                )
                refusal.query = error.query
                throw refusal
            }
        }
        return left
    }

    /// A JSON array of strings (nil or invalid: none).
    static func strings(_ json: String?) -> [String] {
        guard let json, let data = json.data(using: .utf8),
            let array = try? JSONSerialization.jsonObject(with: data) as? [Any]
        else { return [] }
        return array.compactMap { $0 as? String }.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }
    }

    /// A JSON array of two-string arrays.
    static func pairs(_ json: String?) -> [(String, String)] {
        guard let json, let data = json.data(using: .utf8),
            let array = try? JSONSerialization.jsonObject(with: data) as? [[Any]]
        else { return [] }
        return array.compactMap { pair in
            guard pair.count == 2, let first = pair[0] as? String, let second = pair[1] as? String else { return nil }
            return (first, second)
        }
    }
}
