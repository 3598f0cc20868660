/// `test_changed_rows_only: true` on an incremental model with a `unique_key`: its generic tests
/// check only the rows its latest run wrote, instead of rescanning the whole table on every run.
///
/// Every run of such a model records, in the same transaction as the rows themselves, the keys it
/// wrote in `<model>__sqlt_changed` next to the model (one row marked `sqlt_all_rows` after a first
/// build or a full refresh: then the tests see every row). A test then reads, in place of the
/// model:
/// - `not_null`, `accepted_values`, `relationships` (row by row checks): the changed rows;
/// - `unique`: every row of the table whose value is one of the changed rows' values, so a changed
///   row that duplicates an unchanged one fails exactly as on the whole table.
/// Any other test (singular, package or custom generic tests, whose logic may need the whole
/// table) keeps reading the whole model; so does a test of a model that is not incremental or
/// has no `unique_key`.
public enum ChangedRowsScope {
    /// The model configuration that turns it on (off by default).
    public static let configKey = "test_changed_rows_only"
    /// The flag column of the changes table: true on its single row after a full build.
    public static let allRowsColumn = "sqlt_all_rows"
    /// The tests that can be limited soundly.
    public static let limitedTests: Set<String> = ["not_null", "unique", "accepted_values", "relationships"]

    /// Whether runs of this model record the keys they write (and its tests read only those).
    public static func applies(to model: ManifestNode) -> Bool {
        model.resourceType == .model && model.materialization == .incremental
            && !model.config.uniqueKey.isEmpty && (model.config[configKey]?.boolValue ?? false)
    }

    /// `<alias>__sqlt_changed`, within PostgreSQL's 63-byte names.
    public static func tableName(_ alias: String) -> String {
        let suffix = "__sqlt_changed"
        var base = alias
        while base.utf8.count > 63 - suffix.utf8.count { base.removeLast() }
        return base + suffix
    }

    /// What the test reads instead of `relation` (the model, or its `where` subquery), or nil
    /// when this test keeps reading the whole model.
    static func limited(
        relation: String, model: ManifestNode, test: TestMetadata, changes: String
    ) -> String? {
        guard applies(to: model), test.namespace == nil || test.namespace == "dbt", limitedTests.contains(test.name)
        else { return nil }
        let keys = model.config.uniqueKey.map(quoteIdentifier).joined(separator: ", ")
        let changed = """
            (select * from \(relation) where exists (select 1 from \(changes) where \(allRowsColumn))
             union all
             select * from \(relation) where (\(keys)) in (select \(keys) from \(changes) where not \(allRowsColumn)))
            """
        if test.name == "unique" {
            guard let column = test.kwargs["column_name"]?.stringValue, !column.isEmpty else { return nil }
            return
                "(select * from \(relation) where \(column) in (select \(column) from \(changed) sqlt_changed_rows)) dbt_subquery"
        }
        return "\(changed) dbt_subquery"
    }
}
