/// The `adapter` and `api` objects package code calls: relation and column introspection,
/// `execute`, quoting, drops and type expansion, answered through the run's `RuntimeAdapter`.
/// Without a connection (parse, `execute = false`) lookups find nothing and nothing is run.
struct AdapterContext: Sendable {
    let adapter: (any RuntimeAdapter)?
    /// The target's database and schema: defaults for relations given without them.
    let database: String
    let schema: String

    static func quote(_ name: String) -> String { quoteIdentifier(name) }
    static func literal(_ text: String) -> String { quoteLiteral(text) }

    /// Runs SQL on the connection; nil without one.
    func run(_ sql: String) throws -> QueryResult? {
        guard let adapter else { return nil }
        return try adapter.execute(sql)
    }

    /// `adapter.get_relation(database, schema, identifier)`: the relation with its type, or None.
    func relation(database: String?, schema: String, identifier: String) throws -> TemplateValue {
        guard
            let result = try run(
                """
                select c.relname, case c.relkind when 'r' then 'table' when 'p' then 'table' when 'v' then 'view' \
                when 'm' then 'materialized_view' when 'f' then 'external' else 'table' end \
                from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace \
                where n.nspname = \(Self.literal(schema)) and c.relname = \(Self.literal(identifier)) \
                and c.relkind in ('r', 'p', 'v', 'm', 'f')
                """), let row = result.rows.first
        else { return .none }
        return RelationValue(
            database: database ?? self.database, schema: schema, identifier: row[0] ?? identifier, type: row[1],
            includeDatabase: false
        ).value
    }

    /// The columns of a relation, in order, as dbt-postgres reads them from information_schema.
    func columns(of relation: RelationValue) throws -> [ColumnValue] {
        guard let identifier = relation.identifier,
            let result = try run(
                """
                select column_name, data_type, character_maximum_length, numeric_precision, numeric_scale \
                from information_schema.columns where table_schema = \(Self.literal(relation.schema ?? schema)) \
                and table_name = \(Self.literal(identifier)) order by ordinal_position
                """)
        else { return [] }
        return result.rows.map { row in
            ColumnValue(
                name: row[0] ?? "", dtype: row[1] ?? "", charSize: row[2].flatMap { Int($0) },
                numericPrecision: row[3].flatMap { Int($0) }, numericScale: row[4].flatMap { Int($0) })
        }
    }

    func relationArgument(_ value: TemplateValue?, _ function: String) throws -> RelationValue {
        guard let relation = RelationValue.from(value, defaultSchema: schema) else {
            throw TemplateError("\(function)() needs a relation, not \(value?.typeName ?? "nothing")")
        }
        return relation
    }

    /// The `adapter` object. `base` holds attributes defined elsewhere (such as `dispatch`), kept
    /// unless this object defines them too.
    func object(base: TemplateValue?) -> TemplateValue {
        var attributes: [String: TemplateValue] = [:]
        if case .object(let existing)? = base { attributes = existing.attributes }
        func define(_ name: String, _ body: @escaping @Sendable (CallArguments) throws -> TemplateValue) {
            attributes[name] = .function(TemplateFunction(name: name, body))
        }
        let context = self
        define("type") { _ in .string("postgres") }
        define("quote") { args in .string(Self.quote(args.argument(0, "identifier")?.description ?? "")) }
        define("quote_as_configured") { args in .string(Self.quote(args.argument(0, "identifier")?.description ?? "")) }
        define("quote_seed_column") { args in
            let column = args.argument(0, "column")?.description ?? ""
            return .string(args.argument(1, "quote_config")?.isTruthy == false ? column : Self.quote(column))
        }
        define("get_relation") { args in
            guard let schema = args.argument(1, "schema"), let identifier = args.argument(2, "identifier") else {
                throw TemplateError("get_relation() needs database, schema and identifier")
            }
            let database = args.argument(0, "database").flatMap { $0.isNone ? nil : $0.description }
            return try context.relation(
                database: database, schema: schema.description, identifier: identifier.description)
        }
        define("load_relation") { args in
            let relation = try context.relationArgument(args.argument(0, "relation"), "load_relation")
            return try context.relation(
                database: relation.database, schema: relation.schema ?? context.schema,
                identifier: relation.identifier ?? "")
        }
        define("get_columns_in_relation") { args in
            let relation = try context.relationArgument(args.argument(0, "relation"), "get_columns_in_relation")
            return .list(try context.columns(of: relation).map(\.value))
        }
        define("get_missing_columns") { args in
            let from = try context.columns(
                of: try context.relationArgument(args.argument(0, "from_relation"), "get_missing_columns"))
            let to = Set(
                try context.columns(
                    of: try context.relationArgument(args.argument(1, "to_relation"), "get_missing_columns")
                ).map { $0.name.lowercased() })
            return .list(from.filter { !to.contains($0.name.lowercased()) }.map(\.value))
        }
        define("expand_target_column_types") { args in
            let from = try context.columns(
                of: try context.relationArgument(args.argument(0, "from_relation"), "expand_target_column_types"))
            let target = try context.relationArgument(args.argument(1, "to_relation"), "expand_target_column_types")
            let sizes = Dictionary(from.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
            for column in try context.columns(of: target) {
                guard let wider = sizes[column.name.lowercased()], column.isString, wider.isString,
                    column.stringSize < wider.stringSize
                else { continue }
                _ = try context.run(
                    "alter table \(target.rendered) alter column \(Self.quote(column.name)) type character varying(\(wider.stringSize))"
                )
            }
            return .string("")
        }
        define("drop_relation") { args in
            let relation = try context.relationArgument(args.argument(0, "relation"), "drop_relation")
            let kind =
                relation.type == "view" ? "view" : relation.type == "materialized_view" ? "materialized view" : "table"
            _ = try context.run("drop \(kind) if exists \(relation.rendered) cascade")
            return .string("")
        }
        define("truncate_relation") { args in
            let relation = try context.relationArgument(args.argument(0, "relation"), "truncate_relation")
            _ = try context.run("truncate table \(relation.rendered)")
            return .string("")
        }
        define("rename_relation") { args in
            let from = try context.relationArgument(args.argument(0, "from_relation"), "rename_relation")
            let to = try context.relationArgument(args.argument(1, "to_relation"), "rename_relation")
            let kind = from.type == "view" ? "view" : "table"
            _ = try context.run("alter \(kind) \(from.rendered) rename to \(Self.quote(to.identifier ?? ""))")
            return .string("")
        }
        define("check_schema_exists") { args in
            let schema = args.argument(1, "schema")?.description ?? ""
            guard
                let result = try context.run(
                    "select count(*) from pg_catalog.pg_namespace where nspname = \(Self.literal(schema))")
            else {
                return .bool(false)
            }
            return .bool((result.rows.first?.first ?? nil) != "0")
        }
        define("create_schema") { args in
            let relation = try context.relationArgument(args.argument(0, "relation"), "create_schema")
            _ = try context.run("create schema if not exists \(Self.quote(relation.schema ?? context.schema))")
            return .string("")
        }
        define("drop_schema") { args in
            let relation = try context.relationArgument(args.argument(0, "relation"), "drop_schema")
            _ = try context.run("drop schema if exists \(Self.quote(relation.schema ?? context.schema)) cascade")
            return .string("")
        }
        define("list_relations_without_caching") { args in
            let relation = try context.relationArgument(
                args.argument(0, "schema_relation"), "list_relations_without_caching")
            guard
                let result = try context.run(
                    """
                    select table_name, case table_type when 'VIEW' then 'view' else 'table' end from information_schema.tables \
                    where table_schema = \(Self.literal(relation.schema ?? context.schema)) order by table_name
                    """)
            else { return .list([]) }
            return .list(
                result.rows.map { row in
                    RelationValue(
                        database: context.database, schema: relation.schema ?? context.schema, identifier: row[0],
                        type: row[1],
                        includeDatabase: false
                    ).value
                })
        }
        define("execute") { args in
            let sql = args.argument(0, "sql")?.description ?? ""
            let fetch = args.argument(2, "fetch")?.isTruthy ?? false
            guard let result = try context.run(sql) else {
                return .list(
                    TemplateList(
                        [StatementResults.response(nil), AgateTable.make(columns: [], rows: [])], isTuple: true))
            }
            let table = fetch ? AgateTable.make(result) : AgateTable.make(columns: [], rows: [])
            return .list(TemplateList([StatementResults.response(result), table], isTuple: true))
        }
        define("already_exists") { args in
            let schema = args.argument(0, "schema")?.description ?? context.schema
            let name = args.argument(1, "name")?.description ?? ""
            return .bool(!(try context.relation(database: nil, schema: schema, identifier: name)).isNone)
        }
        return .object(TemplateObject(name: "adapter", attributes: attributes))
    }

    /// The `api` object: `api.Relation.create(...)`, `api.Column.create(...)`.
    func api() -> TemplateValue {
        let database = self.database
        let relation = TemplateObject(
            name: "Relation",
            attributes: [
                "create": .function(
                    TemplateFunction(name: "create") { args in
                        func string(_ index: Int, _ key: String) -> String? {
                            guard let value = args.argument(index, key), !value.isNone, value.isDefined else {
                                return nil
                            }
                            return value.description
                        }
                        let given = string(0, "database")
                        return RelationValue(
                            database: given ?? database, schema: string(1, "schema"),
                            identifier: string(2, "identifier"),
                            type: string(3, "type"), includeDatabase: given != nil && given != database
                        ).value
                    }),
                "add_ephemeral_prefix": .function(
                    TemplateFunction(name: "add_ephemeral_prefix") { args in
                        .string("__dbt__cte__" + (args.argument(0, "name")?.description ?? ""))
                    }),
            ])
        let column = TemplateObject(
            name: "Column",
            attributes: [
                "create": .function(TemplateFunction(name: "create", ColumnValue.create)),
                "translate_type": .function(
                    TemplateFunction(name: "translate_type") { args in
                        .string(ColumnValue.translate(args.argument(0, "dtype")?.description ?? ""))
                    }),
            ], call: TemplateFunction(name: "Column", ColumnValue.create))
        return .object(
            TemplateObject(name: "api", attributes: ["Relation": .object(relation), "Column": .object(column)]))
    }
}
