import Testing

@testable import ModelCompiler

@Suite struct SelectorPatternTests {
    @Test(arguments: [
        ("stg_*", "stg_orders", true),
        ("stg_*", "int_stg", false),
        ("*", "", true),
        ("a?c", "abc", true),
        ("a?c", "ac", false),
        ("[ab]x", "bx", true),
        ("[a-c]x", "dx", false),
        ("[!a-c]x", "dx", true),
        ("*.sql", "models/a.sql", true),
        ("a[b", "a[b", true),
        ("*_orders_*", "fct_orders_daily", true),
        ("Stg_*", "stg_orders", false),
    ])
    func glob(pattern: String, text: String, matches: Bool) {
        #expect(GlobPattern(pattern).matches(text) == matches)
    }

    @Test(arguments: [
        ("stg_orders", ["shop", "staging", "stg_orders"], true),
        ("shop", ["shop", "staging", "stg_orders"], true),
        ("staging", ["shop", "staging", "stg_orders"], true),
        ("shop.staging", ["shop", "staging", "stg_orders"], true),
        ("staging.stg_orders", ["shop", "staging", "stg_orders"], true),
        ("staging.*", ["shop", "staging", "stg_orders"], true),
        ("*.stg_*", ["shop", "staging", "stg_orders"], true),
        ("marts", ["shop", "staging", "stg_orders"], false),
        // As in dbt, a wildcard part matches the whole rest of the fqn: a bare `stg_*` only
        // matches models at the top of the models folder.
        ("stg_*", ["shop", "staging", "stg_orders"], false),
        ("stg_*", ["shop", "stg_orders"], true),
        ("*stg_*", ["shop", "staging", "stg_orders"], true),
        ("orders", ["shop", "staging", "stg_orders"], false),
        ("staging.stg_orders.extra", ["shop", "staging", "stg_orders"], false),
    ])
    func fqn(selector: String, fqn: [String], matches: Bool) {
        #expect(FQNMatcher(selector).matches(fqn) == matches)
    }

    @Test func dependenciesOnUnknownIDsAreIgnored() throws {
        let manifest = GraphFixture.models(["a": [], "b": ["a", "missing"]])
        let graph = try DependencyGraph(manifest: manifest)
        #expect(graph.parents(of: "model.shop.b") == ["model.shop.a"])
        #expect(graph.parents(of: "model.shop.nothing") == [])
        #expect(graph.ancestors(of: "model.shop.nothing").isEmpty)
    }
}
