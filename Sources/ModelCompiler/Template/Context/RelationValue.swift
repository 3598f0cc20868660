/// dbt's `Relation` as templates see it (`ref()`, `this`, `api.Relation.create`, `adapter.get_relation`):
/// database, schema and identifier, a type, and which parts print (`include`) and are quoted (`quote`).
struct RelationValue: Sendable, Hashable {
    var database: String?
    var schema: String?
    var identifier: String?
    /// `table`, `view`, `materialized_view`, `cte`, or nil when unknown.
    var type: String?
    var includeDatabase: Bool
    var includeSchema = true
    var includeIdentifier = true
    var quoteDatabase = true
    var quoteSchema = true
    var quoteIdentifier = true
    /// `--empty`: prints as a subquery returning no rows.
    var limitZero = false
    /// `--sample`: prints as a subquery keeping the rows of this condition.
    var filter: String? = nil

    /// A relation as `ref` makes it: `"schema"."identifier"` (sqlt leaves the database out of
    /// printed names: it is always the connected one).
    static func project(
        schema: String, identifier: String, database: String?, type: String? = nil, empty: Bool = false
    ) -> RelationValue {
        RelationValue(
            database: database, schema: schema, identifier: identifier, type: type, includeDatabase: false,
            limitZero: empty)
    }

    /// An ephemeral model as `ref` gives it: the CTE name `__dbt__cte__<name>`, type `cte`.
    static func ephemeral(_ name: String) -> RelationValue {
        RelationValue(
            database: nil, schema: nil, identifier: "__dbt__cte__\(name)", type: "cte", includeDatabase: false,
            includeSchema: false, quoteIdentifier: false)
    }

    /// The dotted, quoted name: `"db"."schema"."name"` with the parts included.
    var rendered: String {
        var parts: [String] = []
        func part(_ value: String?, _ include: Bool, _ quote: Bool) {
            guard include, let value, !value.isEmpty else { return }
            parts.append(quote ? "\"\(CompiledProject.doublingQuotes(value))\"" : value)
        }
        part(database, includeDatabase, quoteDatabase)
        part(schema, includeSchema, quoteSchema)
        part(identifier, includeIdentifier, quoteIdentifier)
        return parts.joined(separator: ".")
    }

    /// What `{{ relation }}` prints.
    var text: String {
        guard let identifier else { return rendered }
        if limitZero { return "(select * from \(rendered) where false limit 0) _dbt_limit_subq_\(identifier)" }
        if let filter { return "(select * from \(rendered) where \(filter)) _dbt_et_filter_subq_\(identifier)" }
        return rendered
    }

    /// The relation as a template object; its attributes are answered on demand (every `ref` makes one).
    var value: TemplateValue {
        let relation = self
        return .object(TemplateObject(name: "Relation", text: text, lookup: { key in relation.attribute(key) }))
    }

    func attribute(_ key: String) -> TemplateValue? {
        let optional = { (s: String?) in s.map(TemplateValue.string) ?? TemplateValue.none }
        switch key {
        case "database": return optional(database)
        case "schema": return optional(schema)
        case "identifier", "name", "table": return optional(identifier)
        case "type": return optional(type)
        case "is_table": return .bool(type == "table")
        case "is_view": return .bool(type == "view")
        case "is_materialized_view": return .bool(type == "materialized_view")
        case "is_cte": return .bool(type == "cte")
        case "can_be_renamed", "can_be_replaced": return .bool(type == "table" || type == "view")
        case "path":
            return .dict([
                ("database", optional(database)), ("schema", optional(schema)), ("identifier", optional(identifier)),
            ])
        case "include_policy":
            return .dict([
                ("database", .bool(includeDatabase)), ("schema", .bool(includeSchema)),
                ("identifier", .bool(includeIdentifier)),
            ])
        case "quote_policy":
            return .dict([
                ("database", .bool(quoteDatabase)), ("schema", .bool(quoteSchema)),
                ("identifier", .bool(quoteIdentifier)),
            ])
        case "render": return function(key) { _ in .string(rendered) }
        // dbt's Relation is a mapping: `relation.get('metadata', {}).get('type')` is how packages
        // recognise one (dbt_utils' `_is_relation`).
        case "metadata": return .dict([("type", .string("PostgresRelation"))])
        case "get":
            return function(key) { args in
                let name = args.argument(0, "key")?.description ?? ""
                return attribute(name) ?? args.argument(1, "default") ?? .none
            }
        case "include":
            return function(key) { args in
                var copy = self
                copy.includeDatabase = args.keyword["database"]?.isTruthy ?? includeDatabase
                copy.includeSchema = args.keyword["schema"]?.isTruthy ?? includeSchema
                copy.includeIdentifier = args.keyword["identifier"]?.isTruthy ?? includeIdentifier
                return copy.value
            }
        case "quote":
            return function(key) { args in
                var copy = self
                copy.quoteDatabase = args.keyword["database"]?.isTruthy ?? quoteDatabase
                copy.quoteSchema = args.keyword["schema"]?.isTruthy ?? quoteSchema
                copy.quoteIdentifier = args.keyword["identifier"]?.isTruthy ?? quoteIdentifier
                return copy.value
            }
        case "incorporate", "replace_path":
            return function(key) { args in
                var copy = self
                let path: TemplateValue? =
                    key == "incorporate"
                    ? args.keyword["path"]
                    : .dict(TemplateDict(args.keywordOrder.compactMap { k in args.keyword[k].map { (k, $0) } }))
                if case .dict(let d)? = path {
                    if let v = d["database"] { copy.database = v.isNone ? nil : v.description }
                    if let v = d["schema"] { copy.schema = v.isNone ? nil : v.description }
                    if let v = d["identifier"] { copy.identifier = v.isNone ? nil : v.description }
                }
                if let type = args.keyword["type"] { copy.type = type.isNone ? nil : type.description }
                return copy.value
            }
        case "information_schema":
            // `relation.information_schema('columns')`: the catalog view of the relation's database.
            return function(key) { args in
                let view = args.argument(0, "identifier").map(\.description)
                return .string("information_schema" + (view.map { ".\(ModelCompiler.quoteIdentifier($0))" } ?? ""))
            }
        case "without_identifier":
            return function(key) { _ in
                var copy = self
                copy.includeIdentifier = false
                copy.limitZero = false
                copy.filter = nil
                return copy.value
            }
        case "matches":
            return function(key) { args in
                let wanted = [args.argument(0, "database"), args.argument(1, "schema"), args.argument(2, "identifier")]
                let have = [database, schema, identifier]
                return .bool(
                    zip(wanted, have).allSatisfy { want, value in
                        guard let want, !want.isNone else { return true }
                        return want.description.lowercased() == (value ?? "").lowercased()
                    })
            }
        default: return nil
        }
    }

    private func function(
        _ name: String, _ body: @escaping @Sendable (CallArguments) throws -> TemplateValue
    ) -> TemplateValue {
        .function(TemplateFunction(name: name, body))
    }

    /// The relation a template value stands for: a Relation object, or a `schema.name` string.
    static func from(_ value: TemplateValue?, defaultSchema: String) -> RelationValue? {
        switch value {
        case .object(let object)?:
            func string(_ key: String) -> String? {
                guard let v = object.attribute(key), !v.isNone, v.isDefined else { return nil }
                return v.description
            }
            guard let identifier = string("identifier") else { return nil }
            return RelationValue(
                database: string("database"), schema: string("schema") ?? defaultSchema, identifier: identifier,
                type: string("type"), includeDatabase: false)
        case .string(let text)?:
            let parts = text.split(separator: ".").map { $0.trimmingCharacters(in: ["\""]) }
            guard let identifier = parts.last, !identifier.isEmpty else { return nil }
            return RelationValue(
                database: parts.count > 2 ? parts[parts.count - 3] : nil,
                schema: parts.count > 1 ? parts[parts.count - 2] : defaultSchema, identifier: identifier,
                includeDatabase: false)
        default: return nil
        }
    }
}
