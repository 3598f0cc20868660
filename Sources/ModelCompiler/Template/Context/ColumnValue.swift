/// dbt-postgres's `Column` as templates see it (`adapter.get_columns_in_relation`,
/// `api.Column.create`): name, type and the type predicates packages test.
struct ColumnValue: Sendable, Hashable {
    var name: String
    /// The type as information_schema names it (`integer`, `character varying`, `numeric`).
    var dtype: String
    var charSize: Int?
    var numericPrecision: Int?
    var numericScale: Int?

    static let stringTypes: Set<String> = ["text", "character varying", "character", "varchar"]
    static let floatTypes: Set<String> = ["real", "float4", "float", "double precision", "float8", "double"]
    static let integerTypes: Set<String> = [
        "smallint", "integer", "bigint", "smallserial", "serial", "bigserial", "int2", "int4", "int8",
    ]
    static let numericTypes: Set<String> = ["numeric", "decimal"]

    var isString: Bool { Self.stringTypes.contains(dtype.lowercased()) }
    var isFloat: Bool { Self.floatTypes.contains(dtype.lowercased()) }
    var isInteger: Bool { Self.integerTypes.contains(dtype.lowercased()) }
    var isNumeric: Bool { Self.numericTypes.contains(dtype.lowercased()) }
    var isNumber: Bool { isFloat || isInteger || isNumeric }
    /// A string column's size: its declared length, else 256 (dbt's default).
    var stringSize: Int { charSize ?? 256 }

    /// The full type: `character varying(30)`, `numeric(10,2)`; `text` and unsized varchar stay as they are.
    var dataType: String {
        let lower = dtype.lowercased()
        if lower == "text" || (lower == "character varying" && charSize == nil) { return dtype }
        if isString { return "character varying(\(stringSize))" }
        if isNumeric, let numericPrecision, let numericScale { return "\(dtype)(\(numericPrecision),\(numericScale))" }
        return dtype
    }

    /// dbt's `Column.translate_type`: `STRING` -> `TEXT`, `FLOAT` -> `FLOAT`, `INTEGER` -> `INT`, ...
    static func translate(_ type: String) -> String {
        let labels = [
            "STRING": "TEXT", "TIMESTAMP": "TIMESTAMP", "FLOAT": "FLOAT", "INTEGER": "INT", "BOOLEAN": "BOOLEAN",
        ]
        return labels[type.uppercased()] ?? type
    }

    var value: TemplateValue {
        let column = self
        return .object(
            TemplateObject(
                name: "Column", text: "<Column \(name) (\(dataType))>", lookup: { key in column.attribute(key) }))
    }

    func attribute(_ key: String) -> TemplateValue? {
        let optional = { (i: Int?) in i.map(TemplateValue.int) ?? TemplateValue.none }
        let predicate = { (name: String, value: Bool) in
            TemplateValue.function(TemplateFunction(name: name) { _ in .bool(value) })
        }
        switch key {
        case "name", "column": return .string(name)
        case "quoted": return .string(quoteIdentifier(name))
        case "dtype": return .string(dtype)
        case "data_type": return .string(dataType)
        case "char_size": return optional(charSize)
        case "numeric_precision": return optional(numericPrecision)
        case "numeric_scale": return optional(numericScale)
        case "is_string": return predicate(key, isString)
        case "is_number": return predicate(key, isNumber)
        case "is_numeric": return predicate(key, isNumeric)
        case "is_float": return predicate(key, isFloat)
        case "is_integer": return predicate(key, isInteger)
        case "string_size":
            let column = self
            return .function(
                TemplateFunction(name: key) { _ in
                    guard column.isString else {
                        throw TemplateError("called string_size() on non-string field '\(column.name)'")
                    }
                    return .int(column.stringSize)
                })
        case "string_type":
            return .function(
                TemplateFunction(name: key) { args in
                    .string("character varying(\(args.positional.first?.intValue ?? 256))")
                })
        case "can_expand_to":
            let column = self
            return .function(
                TemplateFunction(name: key) { args in
                    guard case .object(let other)? = args.argument(0, "other_column"),
                        let otherType = other.attribute("dtype")?.description
                    else { return .bool(false) }
                    let otherSize = other.attribute("char_size")?.intValue ?? 256
                    return .bool(
                        column.isString && Self.stringTypes.contains(otherType.lowercased())
                            && column.stringSize < otherSize)
                })
        case "literal":
            let type = dataType
            return .function(
                TemplateFunction(name: key) { args in
                    .string("\(args.positional.first?.description ?? "")::\(type)")
                })
        default: return nil
        }
    }

    /// A column from `api.Column.create(name, dtype)` or `Column(name, dtype, char_size, ...)`.
    static func create(_ args: CallArguments) throws -> TemplateValue {
        guard let name = args.argument(0, "name") ?? args.keyword["column"] else {
            throw TemplateError("Column.create() missing required argument 'name'")
        }
        let dtype = (args.argument(1, "label_or_dtype") ?? args.keyword["dtype"])?.description ?? ""
        return ColumnValue(
            name: name.description, dtype: translate(dtype), charSize: args.argument(2, "char_size")?.intValue,
            numericPrecision: args.argument(3, "numeric_precision")?.intValue,
            numericScale: args.argument(4, "numeric_scale")?.intValue
        ).value
    }
}
