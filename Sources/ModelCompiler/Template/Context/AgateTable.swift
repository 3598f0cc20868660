/// Query results shaped like the agate tables dbt hands to templates (`run_query`, `load_result`,
/// `adapter.execute`): `rows` (tuples indexable by position or column name), `columns` (indexable
/// by position or name, each with `name` and `values()`), `column_names`, `column_types`, and
/// `print_table()`. Values are typed from the PostgreSQL column types as agate would type them.
enum AgateTable {
    /// A table from a typed result.
    static func make(_ result: QueryResult) -> TemplateValue {
        let names = result.columns.map(\.name)
        let typed: [[TemplateValue]] = result.rows.map { row in
            zip(result.columns, row).map { column, text in value(text, typeOID: column.typeOID) }
        }
        let rows: [TemplateValue] = typed.map { .list(TemplateList($0, fieldNames: names)) }
        let columns: [TemplateValue] = result.columns.enumerated().map { index, column in
            let values = typed.map { $0[index] }
            return .object(
                TemplateObject(
                    name: "Column",
                    attributes: [
                        "name": .string(column.name), "data_type": .string(typeName(column.typeOID)),
                        "values": .function(
                            TemplateFunction(name: "values") { _ in .list(TemplateList(values, isTuple: true)) }),
                    ], text: "<agate.Column \(column.name)>"))
        }
        let table = TemplateObject(
            name: "Table",
            attributes: [
                "rows": .list(TemplateList(rows, fieldNames: nil)),
                "__iter__": .list(TemplateList(rows, fieldNames: nil)),
                "columns": .list(TemplateList(columns, fieldNames: names)),
                "column_names": .list(TemplateList(names.map(TemplateValue.string), isTuple: true)),
                "column_types": .list(
                    TemplateList(result.columns.map { .string(typeName($0.typeOID)) }, isTuple: true)),
                "print_table": .function(
                    TemplateFunction(name: "print_table") { args in
                        let limit = args.keyword["max_rows"]?.intValue ?? 20
                        print(render(names: names, rows: typed.prefix(limit).map { $0.map(\.description) }))
                        return .string("")
                    }),
            ],
            text: "<agate.Table>",
            lookup: { key in Int(key).flatMap { $0 >= 0 && $0 < rows.count ? rows[$0] : nil } })
        return .object(table)
    }

    /// A table of text values (no column types known).
    static func make(columns: [String], rows: [[String?]]) -> TemplateValue {
        make(QueryResult(columns: columns.map { .init(name: $0, typeOID: 25) }, rows: rows))
    }

    /// The rows as plain tuples (`load_result(...)['data']`).
    static func data(_ result: QueryResult) -> TemplateValue {
        .list(
            result.rows.map { row in
                .list(TemplateList(zip(result.columns, row).map { value($1, typeOID: $0.typeOID) }, isTuple: true))
            })
    }

    /// A text value as agate types it: numbers, booleans, else text; NULL is `None`.
    static func value(_ text: String?, typeOID: UInt32) -> TemplateValue {
        guard let text else { return .none }
        switch typeOID {
        case 16: return .bool(text == "t")
        case 20, 21, 23, 26: return Int(text).map(TemplateValue.int) ?? .string(text)
        case 700, 701: return Double(text).map(TemplateValue.double) ?? .string(text)
        case 1700:
            if !text.contains("."), !text.contains("e"), let i = Int(text) { return .int(i) }
            return Double(text).map(TemplateValue.double) ?? .string(text)
        default: return .string(text)
        }
    }

    /// agate's type name for a column type.
    static func typeName(_ oid: UInt32) -> String {
        switch oid {
        case 16: return "Boolean"
        case 20, 21, 23, 26, 700, 701, 1700: return "Number"
        case 1082: return "Date"
        case 1114, 1184: return "DateTime"
        default: return "Text"
        }
    }

    /// `print_table()`'s text: a header, a rule and the rows, columns separated by ` | `.
    static func render(names: [String], rows: [[String]]) -> String {
        var widths = names.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            "| "
                + cells.enumerated().map { i, c in c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(
                    separator: " | ") + " |"
        }
        let rule = "| " + widths.map { String(repeating: "-", count: $0) }.joined(separator: " | ") + " |"
        return ([line(names), rule] + rows.map(line)).joined(separator: "\n")
    }
}
