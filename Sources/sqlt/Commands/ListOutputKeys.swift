import Foundation
import ModelCompiler

/// `sqlt ls --output json --output-keys ...`: the JSON fields of each listed node, as dbt-core
/// 1.10+ prints them (what astronomer-cosmos' `LoadMode.DBT_LS` reads).
///
/// Keys are given as separate arguments (`--output-keys name unique_id`), in one argument
/// separated by spaces or commas (`--output-keys "name,unique_id"`), or both. A plain key is
/// printed when the node's entry has it (with its value, null included); a dotted key
/// (`config.materialized`) walks nested objects and is printed under its dotted name only when it
/// leads to a non-null value. Keys come out in the order asked, once each.
struct ListOutputKeys: Sendable, Hashable {
    let keys: [String]

    /// The keys of the `--output-keys` arguments; nil when none was given.
    init?(arguments: [String]) {
        var keys: [String] = []
        for argument in arguments {
            for key in argument.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }) {
                let key = String(key)
                if !keys.contains(key) { keys.append(key) }
            }
        }
        if keys.isEmpty { return nil }
        self.keys = keys
    }

    /// One JSON object line with only the chosen keys of `value`'s encoded entry.
    func line<T: Encodable>(_ value: T) throws -> String {
        let entry = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder.artifacts().encode(value))
        var fields: [String] = []
        for key in keys {
            let found: JSONValue?
            if key.contains(".") {
                found = key.split(separator: ".").reduce(Optional(entry)) { current, part in
                    current?[String(part)]
                }
                if found?.isNull ?? true { continue }
            } else {
                found = entry[key]
            }
            guard let found else { continue }
            fields.append("\(try Self.json(JSONValue.string(key))): \(try Self.json(found))")
        }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    static func json(_ value: JSONValue) throws -> String {
        String(decoding: try JSONEncoder.artifacts().encode(value), as: UTF8.self)
    }
}
