import Testing

@testable import ModelCompiler

@Suite struct BuiltinTestsTests {
    /// The parameter list of `{% test name(...) %}` in the built-in source.
    static func signature(of name: String) -> [String]? {
        guard let start = BuiltinTests.source.range(of: "{% test \(name)(") else { return nil }
        let rest = BuiltinTests.source[start.upperBound...]
        guard let close = rest.range(of: ") %}") else { return nil }
        return rest[..<close.lowerBound].split(separator: ",").map {
            String($0.split(separator: "=").first!).trimmingCharacters(in: .whitespaces)
        }
    }

    @Test(arguments: BuiltinTests.all)
    func everyTestHasABlockWithItsParameters(test: BuiltinTest) throws {
        let parameters = try #require(Self.signature(of: test.name))
        #expect(parameters.first == "model")
        #expect(parameters.contains("column_name") == test.takesColumn || test.name == "expression_is_true")
        for parameter in test.parameters {
            #expect(parameters.contains(parameter), "\(test.name) lacks \(parameter)")
        }
    }

    @Test func blocksAreBalanced() {
        let source = BuiltinTests.source
        #expect(source.components(separatedBy: "{% test ").count == source.components(separatedBy: "{% endtest %}").count)
        #expect(source.components(separatedBy: "{% macro ").count == source.components(separatedBy: "{% endmacro %}").count)
        #expect(source.components(separatedBy: "{% test ").count - 1 == BuiltinTests.all.count)
    }

    @Test(arguments: [
        ("unique", "unique"), ("dbt_utils.accepted_range", "accepted_range"), ("accepted_range", "accepted_range"),
        ("dbt_expectations.expect_column_values_to_be_between", "expect_column_values_to_be_between"),
    ])
    func lookup(name: String, found: String) {
        #expect(BuiltinTests.lookup(name)?.name == found)
    }

    @Test func lookupRejectsAWrongNamespace() {
        #expect(BuiltinTests.lookup("dbt_expectations.accepted_range") == nil)
        #expect(BuiltinTests.lookup("dbt_utils.unique") == nil)
        #expect(BuiltinTests.lookup("nope") == nil)
    }

    @Test func namespacesAndDefaults() {
        #expect(BuiltinTests.names["not_null"]?.namespace == nil)
        #expect(BuiltinTests.names["recency"]?.qualifiedName == "dbt_utils.recency")
        #expect(BuiltinTests.names["equal_rowcount"]?.defaultConfig["fail_calc"] == "sum(coalesce(diff_count, 0))")
        #expect(BuiltinTests.names.count == 19)
    }
}
