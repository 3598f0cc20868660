import Foundation
import ModelCompiler

/// `sqlt show`: a node's compiled query (or an inline one) run with a row limit, personal-data
/// columns masked, printed as dbt prints it (a text table or `{"node": ..., "show": [...]}`).
public enum ShowQuery {
    /// What replaces a masked value.
    public static let mask = "****"

    /// The query wrapped with `limit` as dbt does (`limit < 0`: every row).
    public static func limited(_ sql: String, limit: Int) -> String {
        var body = sql
        while let last = body.last, last.isWhitespace || last == ";" { body.removeLast() }
        guard limit >= 0 else { return body }
        return "select * from (\n\(body)\n) as sqlt_show_limit_subq\nlimit \(limit)"
    }

    /// Runs the limited query on `session`.
    public static func run(_ sql: String, limit: Int, session: any DatabaseSession) throws(DatabaseError) -> QueryResult
    {
        try session.execute(limited(sql, limit: limit))
    }

    /// The result with the values of `masked` columns replaced (NULLs stay NULL).
    public static func masking(_ result: QueryResult, columns masked: Set<String>) -> QueryResult {
        guard !masked.isEmpty else { return result }
        var copy = result
        let indexes = result.columns.indices.filter { masked.contains(result.columns[$0].name) }
        copy.rows = result.rows.map { row in
            var row = row
            for index in indexes where row[index] != nil { row[index] = mask }
            return row
        }
        return copy
    }

    /// Columns of a node to mask: those whose computed or declared privacy class is personal.
    public static func personalColumns(of node: ManifestNode, lineage: NodeLineage?) -> Set<String> {
        var names = Set<String>()
        for column in node.columns.values where isPersonal(column.pii) { names.insert(column.name) }
        for entry in lineage?.columns ?? [] where isPersonal(entry.privacy) { names.insert(entry.name) }
        return names
    }

    /// Output columns of an inline query that carry personal data, from its column lineage: a
    /// column is personal when an unmasked input column is. Nil when the lineage is uncertain
    /// (an unresolved relation or a statement lineage cannot read): then every column is masked.
    public static func personalColumns(
        ofInline sql: String, manifest: Manifest, lineage: ProjectLineage, maskingFunctions: Set<String>
    ) -> Set<String>? {
        let index = ProjectRelationIndex(manifest: manifest)
        let catalog = ProjectColumnLookup(index: index, computed: lineage.nodes.mapValues { $0.columns.map(\.name) })
        guard let analysed = try? LineageAnalyzer.analyze(sql, catalog: catalog, maskingFunctions: maskingFunctions),
            analysed.issues.isEmpty
        else { return nil }
        var names = Set<String>()
        for column in analysed.columns {
            for input in column.inputs where input.type == "DIRECT" && !input.masking {
                guard let id = index.resolve(input.relation) else { return nil }
                if isPersonal(lineage.nodes[id]?.column(input.column)?.privacy) { names.insert(column.name) }
            }
        }
        return names
    }

    /// `direct`, `indirect` and `sensitive` are personal; `none` and nothing are not.
    public static func isPersonal(_ pii: String?) -> Bool {
        guard let pii = pii?.lowercased() else { return false }
        return !pii.isEmpty && pii != "none"
    }

    /// dbt's text preview: a header, a separator and one line per row, columns padded.
    public static func text(_ result: QueryResult) -> String {
        let names = result.columns.map(\.name)
        let cells = result.rows.map { row in row.map { $0 ?? "" } }
        var widths = names.map(\.count)
        for row in cells { for (index, value) in row.enumerated() { widths[index] = max(widths[index], value.count) } }
        func line(_ values: [String], numeric: [Bool]) -> String {
            "| "
                + values.enumerated().map { index, value in
                    let padding = String(repeating: " ", count: widths[index] - value.count)
                    return numeric[index] ? padding + value : value + padding
                }.joined(separator: " | ") + " |"
        }
        let numeric = result.columns.map { isNumeric($0.typeOID) }
        var lines = [line(names, numeric: names.map { _ in false })]
        lines.append("| " + widths.map { String(repeating: "-", count: $0) }.joined(separator: " | ") + " |")
        for row in cells { lines.append(line(row, numeric: numeric)) }
        return lines.joined(separator: "\n")
    }

    /// The rows as JSON objects, numbers and booleans typed as PostgreSQL typed them.
    public static func jsonRows(_ result: QueryResult) -> [JSONValue] {
        result.rows.map { row in
            var object: [String: JSONValue] = [:]
            for (index, column) in result.columns.enumerated() {
                object[column.name] = value(row[index], typeOID: column.typeOID)
            }
            return .object(object)
        }
    }

    /// dbt's `--output json`: `{"node": "<name>", "show": [rows]}`.
    public static func json(_ result: QueryResult, node: String) -> String {
        let object = JSONValue.object(["node": .string(node), "show": .array(jsonRows(result))])
        guard let data = try? JSONEncoder.artifacts().encode(object) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func isNumeric(_ oid: UInt32) -> Bool { [20, 21, 23, 26, 700, 701, 1700].contains(oid) }

    static func value(_ text: String?, typeOID: UInt32) -> JSONValue {
        guard let text else { return .null }
        if text == mask { return .string(text) }
        switch typeOID {
        case 16: return .bool(text == "t")
        case 20, 21, 23, 26: return Int(text).map(JSONValue.int) ?? .string(text)
        case 700, 701, 1700: return Double(text).map(JSONValue.double) ?? .string(text)
        default: return .string(text)
        }
    }
}
