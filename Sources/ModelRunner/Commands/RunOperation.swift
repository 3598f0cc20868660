import Foundation
import ModelCompiler

/// `sqlt run-operation`: calls a project macro with `--args` as keyword arguments (or renders a
/// `--sql` text and runs it), with `run_query` and `adapter` answering from the database.
public enum RunOperation {
    /// The template text that calls `macro` with `args`: `{{ name(key=literal, ...) }}`.
    public static func callText(macro: String, args: [String: JSONValue]) -> String {
        let keywords = args.keys.sorted().map { "\($0)=\(literal(args[$0]!))" }
        return "{{ \(macro)(\(keywords.joined(separator: ", "))) }}"
    }

    /// A JSON value written as a template literal.
    public static func literal(_ value: JSONValue) -> String {
        switch value {
        case .null: return "none"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .string(let text):
            return "'"
                + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
                .replacingOccurrences(of: "\n", with: "\\n") + "'"
        case .array(let items): return "[" + items.map(literal).joined(separator: ", ") + "]"
        case .object(let entries):
            return "{"
                + entries.keys.sorted().map { literal(.string($0)) + ": " + literal(entries[$0]!) }.joined(
                    separator: ", ") + "}"
        }
    }

    /// Renders `text` with the project's macros and a database adapter; returns the rendered text.
    public static func render(
        _ text: String, file: String, compiled: CompiledProject, session: any DatabaseSession
    ) throws -> String {
        try compiled.renderInline(text, file: file, adapter: DirectRuntimeAdapter(session: session))
    }

    /// `--sql`: renders the text and runs the result as one script; returns the last result.
    public static func runSQL(
        _ text: String, compiled: CompiledProject, session: any DatabaseSession
    ) throws -> QueryResult {
        let sql = try render(text, file: "--sql", compiled: compiled, session: session)
        guard !sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return QueryResult() }
        return try session.executeScript(sql)
    }
}

/// `RuntimeAdapter` on one session, for commands outside a run (`run-operation`, `show`):
/// relation existence from the catalog, `run_query` on the session.
public final class DirectRuntimeAdapter: RuntimeAdapter, @unchecked Sendable {
    private let session: any DatabaseSession

    public init(session: any DatabaseSession) { self.session = session }

    public func relationExists(schema: String, name: String) -> Bool {
        (try? session.execute(
            "select 1 from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = $2",
            [schema, name]
        ).rows.isEmpty == false) ?? false
    }

    public func runQuery(_ sql: String) throws -> (columns: [String], rows: [[String?]]) {
        let result = try session.execute(sql)
        return (result.columns.map(\.name), result.rows)
    }
}
