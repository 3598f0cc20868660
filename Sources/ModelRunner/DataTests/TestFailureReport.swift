import Foundation
import ModelCompiler

/// The text of a failing (or warning) test's message: the count and condition, where the
/// compiled SQL is, and up to five failing rows with personal data masked.
public struct TestFailureReport: Sendable {
    /// `meta.pii` values whose columns are masked.
    public static let maskedClasses: Set<String> = ["direct", "indirect", "sensitive"]
    /// What a masked value prints as.
    public static let mask = "****"
    /// Columns the built-in tests rename the tested column to.
    static let testColumnAliases: Set<String> = ["unique_field", "value_field", "from_field", "expression"]

    public var failures: Int
    public var condition: TestThreshold
    /// `fail` or `warn`, as in dbt's `configured to warn if != 0`.
    public var outcome = "fail"
    public var compiledPath: String
    public var columns: [String]
    public var rows: [[String?]]

    public init(failures: Int, condition: TestThreshold, compiledPath: String, columns: [String], rows: [[String?]]) {
        self.failures = failures
        self.condition = condition
        self.compiledPath = compiledPath
        self.columns = columns
        self.rows = rows
    }

    /// Sample rows with the values of personal-data columns replaced by `****`.
    public init(
        failures: Int, condition: TestThreshold, compiledPath: String, sample: QueryResult, masking: Set<String>
    ) {
        let names = sample.columns.map(\.name)
        let masked = names.map { masking.contains($0.lowercased()) }
        let rows = sample.rows.map { row in
            zip(row, masked).map { value, hide in hide && value != nil ? Self.mask : value.map(Self.truncated) }
        }
        self.init(failures: failures, condition: condition, compiledPath: compiledPath, columns: names, rows: rows)
    }

    /// The most characters of one value shown in a sample (a 20 MB field must not fill the console).
    public static let maximumValueLength = 200

    /// `value` cut to `maximumValueLength` characters, saying how long it was.
    static func truncated(_ value: String) -> String {
        guard value.utf8.count > maximumValueLength, value.count > maximumValueLength else { return value }
        return String(value.prefix(maximumValueLength)) + "… (\(value.utf8.count) bytes)"
    }

    /// `Got 3 results, configured to fail if != 0`, the compiled path, then the sample table.
    public var message: String {
        let noun = failures == 1 ? "result" : "results"
        var lines = [
            "Got \(failures) \(noun), configured to \(outcome) if \(condition)", "  compiled code at \(compiledPath)",
        ]
        if !columns.isEmpty && !rows.isEmpty {
            lines.append("  sample of failing rows (at most 5):")
            lines.append("    " + columns.joined(separator: " | "))
            for row in rows {
                lines.append("    " + row.map { $0 ?? "NULL" }.joined(separator: " | "))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Lower-cased names of the columns to mask for a test: columns declared with `meta.pii`
    /// direct, indirect or sensitive on the tested node and on everything upstream of it. When the
    /// tested column itself is personal, the aliases the built-in tests give it are masked too.
    public static func maskedColumns(for test: ManifestNode, in manifest: Manifest) -> Set<String> {
        var names: Set<String> = []
        var seen: Set<String> = []
        var pending = [test.attachedNode].compactMap { $0 } + test.dependsOn.nodes
        while let id = pending.popLast() {
            guard seen.insert(id).inserted else { continue }
            let columns = manifest.nodes[id]?.columns ?? manifest.sources[id]?.columns ?? [:]
            for column in columns.values where column.pii.map({ maskedClasses.contains($0.lowercased()) }) == true {
                names.insert(column.name.lowercased())
            }
            pending += manifest.parentMap[id] ?? []
        }
        if let tested = test.columnName, names.contains(tested.lowercased()) {
            names.formUnion(testColumnAliases)
        }
        return names
    }

    /// `target/compiled/<project>/<path>` as dbt writes it: a generic test declared in a property
    /// file goes under the property file's path.
    public static func compiledPath(for test: ManifestNode) -> String { ArtifactPaths.compiledFile(test) }
}
