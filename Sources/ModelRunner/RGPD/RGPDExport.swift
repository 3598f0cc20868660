import Foundation
import ModelCompiler

/// Right of access: every row of a subject, across the relations of a scope, as one JSON document.
public enum RGPDExport {
    /// The rows of one relation, as PostgreSQL's `json_agg` renders them (values typed: numbers
    /// as numbers, booleans as booleans, json as json, dates and text as strings).
    public struct RelationRows: Sendable {
        public var relation: RGPDRelation
        /// A JSON array of objects, one per row, columns in table order.
        public var rowsJSON: String
        public var count: Int
        /// False when the current user may not read the relation (its rows are then `null`).
        public var readable: Bool
    }

    /// Reads the subject's rows from every relation holding it (views and sources included).
    public static func collect(_ scope: RGPDScope, session: any DatabaseSession) throws(DatabaseError) -> [RelationRows]
    {
        var collected: [RelationRows] = []
        let filters = try RGPDRowFilter.resolve(scope, session: session)
        for relation in scope.holding {
            guard let filter = filters[relation.uniqueId] else {
                collected.append(RelationRows(relation: relation, rowsJSON: "null", count: 0, readable: false))
                continue
            }
            let result = try session.execute(
                """
                select coalesce(json_agg(t), '[]'::json)::text, count(*)
                from (select * from \(relation.qualified) where \(filter.sql)) t
                """, filter.parameters)
            let json = result.rows.first?[0] ?? "[]"
            let count = Int(result.rows.first?[1] ?? "0") ?? 0
            collected.append(RelationRows(relation: relation, rowsJSON: json, count: count, readable: true))
        }
        return collected
    }

    /// The export document: the subject, each holding relation with its unique id and rows, the
    /// relations derived from the subject's data that hold no row of the person, and the seeds and
    /// models not built yet (so not searched).
    public static func document(_ scope: RGPDScope, rows: [RelationRows], generatedAt: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        var out = "{\n"
        out += "  \"generated_at\": \(string(formatter.string(from: generatedAt))),\n"
        out +=
            "  \"subject\": {"
            + scope.subjects.map { "\(string($0.column)): \(string($0.value))" }.joined(separator: ", ") + "},\n"
        out += "  \"relations\": ["
        out += rows.map { item in
            """

                {
                  "unique_id": \(string(item.relation.uniqueId)),
                  "resource_type": \(string(item.relation.resourceType.rawValue)),
                  "relation": \(string(item.relation.displayName)),
                  "kind": \(string(item.relation.control.rawValue)),\(item.relation.link.map { "\n          \"linked_by\": {\"relation\": \(string($0.parentId)), \"column\": \(string($0.column))}," } ?? "")
                  "readable": \(item.readable),
                  "row_count": \(item.readable ? String(item.count) : "null"),
                  "rows": \(item.rowsJSON)
                }
            """
        }.joined(separator: ",")
        out += rows.isEmpty ? "],\n" : "\n  ],\n"
        out += "  \"without_rows\": ["
        out += scope.withoutKey.map { relation in
            "\n    {\"unique_id\": \(string(relation.uniqueId)), \"relation\": \(string(relation.displayName)), "
                + "\"reason\": \"derived from the subject's data without the key column (aggregated): holds no row of the person\"}"
        }.joined(separator: ",")
        out += scope.withoutKey.isEmpty ? "],\n" : "\n  ],\n"
        out += "  \"not_built\": [" + scope.notBuilt.map(string).joined(separator: ", ") + "]\n"
        out += "}\n"
        return out
    }

    /// A JSON string literal.
    static func string(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = (try? encoder.encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
