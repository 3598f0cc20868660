/// One built-in generic test: its macro name, the package namespace users write in property
/// files (`dbt_utils.accepted_range`), its parameters, and configuration its package sets.
public struct BuiltinGenericTest: Sendable, Hashable {
    /// The plain test name (`accepted_range`); the macro is `{% test accepted_range(...) %}`.
    public let name: String
    /// `nil` for dbt-core's tests, `dbt_utils` or `dbt_expectations` otherwise.
    public let namespace: String?
    /// Parameters after `model` (and `column_name` where the test takes one), in order.
    public let parameters: [String]
    /// Whether the test applies to a column (`column_name` is passed).
    public let takesColumn: Bool
    /// Configuration the package's macro sets with `config()` (for example `fail_calc`); a
    /// node's own configuration wins.
    public let defaultConfig: [String: JSONValue]

    public init(
        _ name: String, namespace: String?, parameters: [String], takesColumn: Bool = true,
        defaultConfig: [String: JSONValue] = [:]
    ) {
        self.name = name
        self.namespace = namespace
        self.parameters = parameters
        self.takesColumn = takesColumn
        self.defaultConfig = defaultConfig
    }

    /// How property files name it: `unique`, `dbt_utils.accepted_range`.
    public var qualifiedName: String { namespace.map { "\($0).\(name)" } ?? name }
}

/// The generic tests sqlt ships: dbt-core's, and the most used ones of dbt-utils and
/// dbt-expectations, as `{% test %}` blocks for PostgreSQL. The integrator registers `source` in
/// the macro library before project macros (a project macro of the same name overrides it) and
/// maps the namespaces of `names`.
public enum BuiltinGenericTests {
    /// Every built-in test, by plain name.
    public static let names: [String: BuiltinGenericTest] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// Every built-in test, in a stable order.
    public static let all: [BuiltinGenericTest] = [
        BuiltinGenericTest("unique", namespace: nil, parameters: []),
        BuiltinGenericTest("not_null", namespace: nil, parameters: []),
        BuiltinGenericTest("accepted_values", namespace: nil, parameters: ["values", "quote"]),
        BuiltinGenericTest("relationships", namespace: nil, parameters: ["to", "field"]),
        BuiltinGenericTest(
            "accepted_range", namespace: "dbt_utils", parameters: ["min_value", "max_value", "inclusive"]),
        BuiltinGenericTest(
            "expression_is_true", namespace: "dbt_utils", parameters: ["expression"], takesColumn: false),
        BuiltinGenericTest(
            "unique_combination_of_columns", namespace: "dbt_utils",
            parameters: ["combination_of_columns", "quote_columns"], takesColumn: false),
        BuiltinGenericTest(
            "not_null_proportion", namespace: "dbt_utils", parameters: ["at_least", "at_most", "group_by_columns"]),
        BuiltinGenericTest(
            "recency", namespace: "dbt_utils",
            parameters: ["field", "datepart", "interval", "ignore_time_component", "group_by_columns"],
            takesColumn: false),
        BuiltinGenericTest("at_least_one", namespace: "dbt_utils", parameters: ["group_by_columns"]),
        BuiltinGenericTest("not_constant", namespace: "dbt_utils", parameters: ["group_by_columns"]),
        BuiltinGenericTest(
            "equal_rowcount", namespace: "dbt_utils", parameters: ["compare_model", "group_by_columns"],
            takesColumn: false, defaultConfig: ["fail_calc": "sum(coalesce(diff_count, 0))"]),
        BuiltinGenericTest(
            "expect_column_values_to_be_between", namespace: "dbt_expectations",
            parameters: ["min_value", "max_value", "row_condition", "strictly"]),
        BuiltinGenericTest(
            "expect_column_values_to_match_regex", namespace: "dbt_expectations",
            parameters: ["regex", "row_condition", "is_raw", "flags"]),
        BuiltinGenericTest(
            "expect_column_values_to_be_in_set", namespace: "dbt_expectations",
            parameters: ["value_set", "quote_values", "row_condition"]),
        BuiltinGenericTest(
            "expect_table_row_count_to_be_between", namespace: "dbt_expectations",
            parameters: ["min_value", "max_value", "group_by", "row_condition", "strictly"], takesColumn: false),
        BuiltinGenericTest(
            "expect_column_pair_values_A_to_be_greater_than_B", namespace: "dbt_expectations",
            parameters: ["column_A", "column_B", "or_equal", "row_condition"], takesColumn: false),
        BuiltinGenericTest(
            "expect_column_values_to_be_unique", namespace: "dbt_expectations", parameters: ["row_condition"]),
        BuiltinGenericTest(
            "expect_column_values_to_not_be_null", namespace: "dbt_expectations", parameters: ["row_condition"]),
    ]

    /// Every block, as one macro file (`{% test %}` blocks and the helper macros they call):
    /// dbt-core's four tests, dbt-utils' and dbt-expectations' for PostgreSQL, written in
    /// `Resources/generic_tests/*.sql`. dbt-expectations' column tests are expressions checked by
    /// `sqlt_expectations_expression_is_true`, whose rows fail when the expression is not true (a
    /// NULL expression passes, as in dbt-expectations).
    public static let source: String = ["core", "dbt_utils", "dbt_expectations"]
        .map { EmbeddedResources.files["generic_tests/\($0).sql"]! }.joined()

    /// The built-in test for a property-file name (`unique`, `dbt_utils.accepted_range`); a
    /// namespace that does not match the test's is not found.
    public static func lookup(_ qualifiedName: String) -> BuiltinGenericTest? {
        let parts = qualifiedName.split(separator: ".", maxSplits: 1).map(String.init)
        if parts.count == 2 {
            guard let test = names[parts[1]], test.namespace == parts[0] else { return nil }
            return test
        }
        return names[qualifiedName]
    }
}
