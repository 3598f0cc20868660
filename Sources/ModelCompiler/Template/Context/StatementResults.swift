import Synchronization

/// `{% call statement('name', fetch_result=True) %}...{% endcall %}` and `load_result('name')`:
/// the statement runs on the render's connection (only when `execute` is true) and its result is
/// kept by name for the rest of that render.
final class StatementResults: Sendable {
    private let results = Mutex<[String: TemplateValue]>([:])
    let adapter: (any RuntimeAdapter)?
    /// Told when a statement runs without a connection.
    let sink: RenderSink?

    init(adapter: (any RuntimeAdapter)?, sink: RenderSink? = nil) {
        self.adapter = adapter
        self.sink = sink
    }

    /// dbt's `AdapterResponse`: `_message`, `code`, `rows_affected`; prints as the message.
    static func response(_ result: QueryResult?) -> TemplateValue {
        let tag = result?.commandTag ?? ""
        let code = tag.split(separator: " ").first.map(String.init) ?? ""
        let rows = result?.rowsAffected.map(TemplateValue.int) ?? (result.map { .int($0.rows.count) } ?? .int(-1))
        return .object(
            TemplateObject(
                name: "AdapterResponse",
                attributes: ["_message": .string(tag), "code": .string(code), "rows_affected": rows],
                text: tag))
    }

    func store(_ name: String, response: TemplateValue, table: TemplateValue, data: TemplateValue) {
        let entry = TemplateValue.dict([("response", response), ("data", data), ("table", table)])
        results.withLock { $0[name] = entry }
    }

    /// The globals: `statement`, `load_result`, `store_result`, `store_raw_result`.
    var globals: [String: TemplateValue] {
        [
            "statement": .function(
                TemplateFunction(name: "statement") { [self] args in
                    guard let caller = args.caller else {
                        throw TemplateError("statement() is used as `{% call statement(...) %}`")
                    }
                    let sql = try args.call(caller).description
                    guard let adapter else {
                        sink?.noteIntrospection()
                        return .string("")
                    }
                    let name = args.argument(0, "name").flatMap { $0.isNone ? nil : $0.description }
                    let fetch = args.argument(1, "fetch_result")?.isTruthy ?? false
                    let trimmed = sql.trimmingCharacters(in: .whitespacesAndNewlines)
                    let result = trimmed.isEmpty ? QueryResult(columns: [], rows: []) : try adapter.execute(sql)
                    if let name {
                        store(
                            name, response: Self.response(result),
                            table: fetch ? AgateTable.make(result) : AgateTable.make(columns: [], rows: []),
                            data: fetch ? AgateTable.data(result) : .list([]))
                    }
                    return .string("")
                }),
            "load_result": .function(
                TemplateFunction(name: "load_result") { [self] args in
                    let name = args.argument(0, "name")?.description ?? ""
                    return results.withLock { $0[name] } ?? .none
                }),
            "store_result": .function(
                TemplateFunction(name: "store_result") { [self] args in
                    let name = args.argument(0, "name")?.description ?? ""
                    let table = args.argument(2, "agate_table") ?? AgateTable.make(columns: [], rows: [])
                    var data: TemplateValue = .list([])
                    if case .object(let object) = table, case .list(let rows)? = object.attribute("rows") {
                        data = .list(
                            rows.items.map { row in
                                if case .list(let cells) = row {
                                    return .list(TemplateList(cells.items, isTuple: true))
                                }
                                return row
                            })
                    }
                    store(name, response: args.argument(1, "response") ?? Self.response(nil), table: table, data: data)
                    return .string("")
                }),
            "store_raw_result": .function(
                TemplateFunction(name: "store_raw_result") { [self] args in
                    let name = args.argument(0, "name")?.description ?? ""
                    let message = args.keyword["message"]?.description ?? ""
                    store(
                        name,
                        response: .object(
                            TemplateObject(
                                name: "AdapterResponse", attributes: ["_message": .string(message)], text: message)),
                        table: args.keyword["agate_table"] ?? AgateTable.make(columns: [], rows: []), data: .list([]))
                    return .string("")
                }),
        ]
    }
}
