import Testing

@testable import ModelCompiler

@Suite struct GraphTests {
    let graph = GraphFixture.graph

    @Test func parentAndChildMapsCoverEveryNodeSorted() {
        let manifest = GraphFixture.manifest
        #expect(graph.parentMap.count == manifest.nodes.count + manifest.sources.count)
        #expect(graph.childMap.count == graph.parentMap.count)
        #expect(graph.parentMap["source.shop.raw.orders"] == [])
        #expect(graph.childMap["source.shop.raw.orders"] == ["model.shop.stg_orders", "snapshot.shop.orders_snapshot"])
        #expect(graph.parents(of: "model.shop.customer_ltv") == ["model.shop.dim_customers", "model.shop.fct_orders"])
        #expect(
            graph.children(of: "model.shop.fct_orders") == [
                "model.shop.customer_ltv", "test.shop.relationships_fct_orders_customer_id",
                "unit_test.shop.fct_orders.test_fct_orders_math",
            ])
        #expect(graph.childMap["test.shop.assert_positive_ltv"] == [])
        #expect(!graph.contains("model.shop.legacy_orders"))
    }

    @Test(
        arguments: [
            (
                "model.shop.int_orders_payments", nil,
                [
                    "model.shop.stg_orders", "model.shop.stg_payments", "source.shop.raw.orders",
                    "source.shop.stripe.payments",
                ]
            ),
            ("model.shop.customer_ltv", 1, ["model.shop.dim_customers", "model.shop.fct_orders"]),
            (
                "model.shop.customer_ltv", 2,
                [
                    "model.shop.dim_customers", "model.shop.fct_orders", "model.shop.int_customer_geo",
                    "model.shop.stg_customers",
                    "model.shop.int_orders_payments", "model.utils.util_calendar",
                ]
            ),
            ("source.shop.raw.orders", nil, []),
        ] as [(String, Int?, [String])])
    func ancestors(id: String, depth: Int?, expected: [String]) {
        #expect(graph.ancestors(of: id, depth: depth) == Set(expected))
    }

    @Test(
        arguments: [
            ("source.shop.raw.customers", 1, ["model.shop.stg_customers"]),
            (
                "model.shop.stg_customers", nil,
                [
                    "model.shop.int_customer_geo", "model.shop.dim_customers", "model.shop.customer_ltv",
                    "test.shop.unique_dim_customers_customer_id", "test.shop.relationships_fct_orders_customer_id",
                    "test.shop.assert_positive_ltv",
                ]
            ),
            ("model.shop.customer_ltv", 0, []),
        ] as [(String, Int?, [String])])
    func descendants(id: String, depth: Int?, expected: [String]) {
        #expect(graph.descendants(of: id, depth: depth) == Set(expected))
    }

    @Test func topologicalOrderIsDeterministicAndRespectsEdges() {
        let order = graph.topologicalOrder()
        #expect(order.count == graph.count)
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        for (child, parents) in graph.parentMap {
            for parent in parents { #expect(position[parent]! < position[child]!) }
        }
        // Roots come first, in unique-id order.
        #expect(
            Array(order.prefix(3)) == [
                "model.utils.util_calendar", "seed.shop.country_codes", "source.shop.raw.customers",
            ])
    }

    @Test func topologicalOrderOfSubsetKeepsIndirectOrder() {
        let manifest = GraphFixture.models(["z": [], "m": ["z"], "a": ["m"]])
        let graph = try! DependencyGraph(manifest: manifest)
        #expect(graph.topologicalOrder(GraphFixture.ids("a", "z")) == ["model.shop.z", "model.shop.a"])
    }

    @Test func cycleIsReportedOnceWithEveryEdge() throws {
        let manifest = GraphFixture.models(["a": ["c"], "b": ["a"], "c": ["b"], "d": ["c"], "e": ["e"]])
        let refB = SourceLocation(file: "models/m/c.sql", line: 2, column: 8)
        let refC = SourceLocation(file: "models/m/a.sql", line: 2, column: 15)
        let error = #expect(throws: DiagnosticsError.self) {
            try DependencyGraph(
                manifest: manifest,
                edgeLocations: [
                    GraphEdge(parent: "model.shop.b", child: "model.shop.c"): refB,
                    GraphEdge(parent: "model.shop.c", child: "model.shop.a"): refC,
                ]
            )
        }
        let diagnostics = try #require(error).diagnostics
        #expect(diagnostics.count == 2)
        let files = [
            "models/m/a.sql": "-- orders\nselect * from {{ ref('c') }}\n",
            "models/m/c.sql": "-- c\nselect * from {{ ref('b') }}\n",
            "models/m/e.sql": "select * from {{ ref('e') }}\n",
        ]
        let text = DiagnosticRenderer(sourceText: { files[$0] }).render(diagnostics)
        let expected = """
            models/m/a.sql:2:15: error: dependency cycle: model.shop.a -> model.shop.b -> model.shop.c -> model.shop.a
             2 | select * from {{ ref('c') }}
               |               ^
            note: 'model.shop.b' depends on 'model.shop.a'
            models/m/c.sql:2:8: note: 'model.shop.c' depends on 'model.shop.b'
            models/m/a.sql:2:15: note: 'model.shop.a' depends on 'model.shop.c'
            hint: remove one of these ref() calls to break the cycle
            models/m/e.sql:1:1: error: dependency cycle: model.shop.e -> model.shop.e
             1 | select * from {{ ref('e') }}
               | ^
            note: 'model.shop.e' depends on 'model.shop.e'
            hint: remove one of these ref() calls to break the cycle
            """
        #expect(text == expected)
    }

    @Test func deepChainDoesNotOverflow() throws {
        var nodes: [String: ManifestNode] = [:]
        let count = 20_000
        for index in 0..<count {
            let node = GraphFixture.model(
                "n\(index)", folder: "m", dependsOn: index == 0 ? [] : ["model.shop.n\(index - 1)"])
            nodes[node.uniqueId] = node
        }
        let manifest = Manifest(
            metadata: ManifestMetadata(sqltVersion: "0", generatedAt: "", invocationId: "", projectName: "shop"),
            nodes: nodes
        )
        let graph = try DependencyGraph(manifest: manifest)
        #expect(graph.descendants(of: "model.shop.n0").count == count - 1)
        #expect(graph.topologicalOrder().first == "model.shop.n0")
        #expect(graph.topologicalOrder().last == "model.shop.n\(count - 1)")
    }

    @Test func buildTestDependenciesGateChildrenOnTests() {
        let gates = graph.buildTestDependencies(manifest: GraphFixture.manifest)
        #expect(
            gates == [
                // unique test on dim_customers gates its child customer_ltv; so does the relationships test
                // (it tests fct_orders and dim_customers, both upstream of customer_ltv).
                "model.shop.customer_ltv": [
                    "test.shop.unique_dim_customers_customer_id", "test.shop.relationships_fct_orders_customer_id",
                ],
                "model.shop.int_orders_payments": ["test.shop.not_null_stg_orders_order_id"],
            ])
    }
}
