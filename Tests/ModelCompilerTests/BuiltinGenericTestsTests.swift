import Testing

@testable import ModelCompiler

@Suite struct BuiltinTestsTests {
    /// The parameter list of `{% test name(...) %}` in the built-in source.
    static func signature(of name: String) -> [String]? {
        guard let start = BuiltinGenericTests.source.range(of: "{% test \(name)(") else { return nil }
        let rest = BuiltinGenericTests.source[start.upperBound...]
        guard let close = rest.range(of: ") %}") else { return nil }
        return rest[..<close.lowerBound].split(separator: ",").map {
            String($0.split(separator: "=").first!).trimmingCharacters(in: .whitespaces)
        }
    }

    @Test(arguments: BuiltinGenericTests.all)
    func everyTestHasABlockWithItsParameters(test: BuiltinGenericTest) throws {
        let parameters = try #require(Self.signature(of: test.name))
        #expect(parameters.first == "model")
        #expect(parameters.contains("column_name") == test.takesColumn || test.name == "expression_is_true")
        for parameter in test.parameters {
            #expect(parameters.contains(parameter), "\(test.name) lacks \(parameter)")
        }
    }

    @Test func blocksAreBalanced() {
        let source = BuiltinGenericTests.source
        #expect(
            source.components(separatedBy: "{% test ").count == source.components(separatedBy: "{% endtest %}").count)
        #expect(
            source.components(separatedBy: "{% macro ").count == source.components(separatedBy: "{% endmacro %}").count)
        #expect(source.components(separatedBy: "{% test ").count - 1 == BuiltinGenericTests.all.count)
    }

    @Test(arguments: [
        ("unique", "unique"), ("dbt_utils.accepted_range", "accepted_range"), ("accepted_range", "accepted_range"),
        ("dbt_expectations.expect_column_values_to_be_between", "expect_column_values_to_be_between"),
    ])
    func lookup(name: String, found: String) {
        #expect(BuiltinGenericTests.lookup(name)?.name == found)
    }

    @Test func lookupRejectsAWrongNamespace() {
        #expect(BuiltinGenericTests.lookup("dbt_expectations.accepted_range") == nil)
        #expect(BuiltinGenericTests.lookup("dbt_utils.unique") == nil)
        #expect(BuiltinGenericTests.lookup("nope") == nil)
    }

    @Test func namespacesAndDefaults() {
        #expect(BuiltinGenericTests.names["not_null"]?.namespace == nil)
        #expect(BuiltinGenericTests.names["recency"]?.qualifiedName == "dbt_utils.recency")
        #expect(
            BuiltinGenericTests.names["equal_rowcount"]?.defaultConfig["fail_calc"] == "sum(coalesce(diff_count, 0))")
        #expect(BuiltinGenericTests.names.count == 19)
    }
}
