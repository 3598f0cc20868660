import Testing

@testable import ModelCompiler

@Suite struct SelectorTests {
    static let manifest = GraphFixture.manifest
    static let graph = GraphFixture.graph

    /// Short names to unique ids: node names, and `source.table` for sources.
    static let idByName: [String: String] = {
        var map: [String: String] = [:]
        for node in manifest.nodes.values { map[node.name] = node.uniqueId }
        for source in manifest.sources.values { map["\(source.sourceName).\(source.name)"] = source.uniqueId }
        return map
    }()

    static func ids(_ names: [String]) -> Set<String> {
        Set(
            names.map { name in
                guard let id = idByName[name] else { fatalError("no fixture node named \(name)") }
                return id
            })
    }

    static let models: [ResourceType] = [.model]

    struct Case: Sendable, CustomTestStringConvertible {
        let select: [String]
        var exclude: [String] = []
        var types: [ResourceType] = []
        var indirect: NodeSelector.IndirectSelection = .eager
        let expected: [String]
        var testDescription: String { "select \(select) exclude \(exclude) \(types.map(\.rawValue)) \(indirect)" }
    }

    static let cases: [Case] = [
        // Names, fqn, wildcards; tests of selected nodes come along (eager).
        Case(select: ["stg_orders"], expected: ["stg_orders", "not_null_stg_orders_order_id"]),
        Case(select: ["stg_orders"], types: models, expected: ["stg_orders"]),
        Case(
            select: ["staging"],
            expected: ["stg_orders", "stg_customers", "stg_payments", "not_null_stg_orders_order_id"]),
        Case(select: ["staging.stg_*"], types: models, expected: ["stg_orders", "stg_customers", "stg_payments"]),
        Case(select: ["*orders*"], types: models, expected: ["stg_orders", "int_orders_payments", "fct_orders"]),
        Case(select: ["utils.util_calendar"], expected: ["util_calendar"]),
        Case(
            select: ["fqn:shop.marts.*"],
            expected: [
                "fct_orders", "dim_customers", "customer_ltv", "unique_dim_customers_customer_id",
                "relationships_fct_orders_customer_id", "test_fct_orders_math", "assert_positive_ltv",
            ]),
        // Graph operators.
        Case(
            select: ["+int_orders_payments"], types: models,
            expected: ["int_orders_payments", "stg_orders", "stg_payments"]),
        Case(
            select: ["+int_orders_payments"],
            expected: [
                "int_orders_payments", "stg_orders", "stg_payments", "raw.orders", "stripe.payments",
                "not_null_stg_orders_order_id",
            ]),
        Case(
            select: ["int_customer_geo+"],
            expected: [
                "int_customer_geo", "dim_customers", "customer_ltv", "unique_dim_customers_customer_id",
                "relationships_fct_orders_customer_id", "assert_positive_ltv",
            ]),
        Case(
            select: ["fct_orders+1"],
            expected: [
                "fct_orders", "customer_ltv", "relationships_fct_orders_customer_id", "test_fct_orders_math",
                "assert_positive_ltv",
            ]),
        Case(
            select: ["2+customer_ltv"], types: models,
            expected: [
                "customer_ltv", "fct_orders", "dim_customers", "int_orders_payments", "util_calendar",
                "int_customer_geo",
                "stg_customers",
            ]),
        Case(
            select: ["@stg_payments"], types: models,
            expected: [
                "stg_payments", "int_orders_payments", "fct_orders", "customer_ltv", "stg_orders", "util_calendar",
                "dim_customers", "int_customer_geo", "stg_customers",
            ]),
        Case(
            select: ["+stg_orders+"], types: [.model, .source],
            expected: [
                "raw.orders", "stg_orders", "int_orders_payments", "fct_orders", "customer_ltv",
            ]),
        // Methods.
        Case(select: ["tag:nightly"], types: models, expected: ["int_customer_geo", "fct_orders", "dim_customers"]),
        Case(select: ["tag:pii"], expected: ["stg_customers", "raw.customers"]),
        Case(select: ["tag:fin*"], types: models, expected: ["fct_orders", "customer_ltv"]),
        Case(select: ["path:models/marts"], types: models, expected: ["fct_orders", "dim_customers", "customer_ltv"]),
        Case(
            select: ["path:models/marts/"],
            expected: [
                "fct_orders", "dim_customers", "customer_ltv", "unique_dim_customers_customer_id",
                "relationships_fct_orders_customer_id", "test_fct_orders_math", "assert_positive_ltv",
            ]),
        Case(
            select: ["models/staging"],
            expected: [
                "stg_orders", "stg_customers", "stg_payments", "raw.orders", "raw.customers", "stripe.payments",
                "not_null_stg_orders_order_id",
            ]),
        Case(select: ["models/staging/stg_orders.sql"], types: models, expected: ["stg_orders"]),
        Case(select: ["path:models/*/stg_c*.sql"], types: models, expected: ["stg_customers"]),
        Case(select: ["path:models/**/dim_customers.sql"], types: models, expected: ["dim_customers"]),
        Case(select: ["seeds"], expected: ["country_codes"]),
        Case(select: ["stg_orders.sql"], types: models, expected: ["stg_orders"]),
        Case(select: ["file:*.csv"], expected: ["country_codes"]),
        Case(select: ["package:utils"], expected: ["util_calendar"]),
        Case(
            select: ["package:this"], types: models,
            expected: [
                "stg_orders", "stg_customers", "stg_payments", "int_orders_payments", "int_customer_geo", "fct_orders",
                "dim_customers", "customer_ltv",
            ]),
        Case(
            select: ["config.materialized:view"], types: models,
            expected: ["stg_orders", "stg_customers", "stg_payments", "util_calendar"]),
        Case(select: ["config.materialized:incremental"], types: models, expected: ["fct_orders"]),
        Case(select: ["config.severity:error"], expected: ["not_null_stg_orders_order_id"]),
        Case(
            select: ["config.tags:staging"], types: models, expected: ["stg_orders", "stg_customers", "stg_payments"]),
        Case(select: ["resource_type:seed"], expected: ["country_codes"]),
        Case(select: ["resource_type:source"], expected: ["raw.orders", "raw.customers", "stripe.payments"]),
        Case(select: ["resource_type:snapshot"], expected: ["orders_snapshot"]),
        Case(select: ["source:raw"], expected: ["raw.orders", "raw.customers"]),
        Case(select: ["source:raw.orders"], expected: ["raw.orders"]),
        Case(select: ["source:shop.stripe.*"], expected: ["stripe.payments"]),
        Case(select: ["source:raw+"], types: [.snapshot], expected: ["orders_snapshot"]),
        Case(
            select: ["test_type:generic"],
            expected: [
                "not_null_stg_orders_order_id", "unique_dim_customers_customer_id",
                "relationships_fct_orders_customer_id",
            ]),
        Case(select: ["test_type:singular"], expected: ["assert_positive_ltv"]),
        Case(select: ["test_type:unit"], expected: ["test_fct_orders_math"]),
        Case(
            select: ["test_type:data"], types: [.test],
            expected: [
                "not_null_stg_orders_order_id", "unique_dim_customers_customer_id",
                "relationships_fct_orders_customer_id",
                "assert_positive_ltv",
            ]),
        Case(select: ["test_name:unique"], expected: ["unique_dim_customers_customer_id"]),
        Case(select: ["test_name:not_*"], expected: ["not_null_stg_orders_order_id"]),
        // Set operators.
        Case(
            select: ["tag:nightly,config.materialized:table"], types: models,
            expected: ["int_customer_geo", "dim_customers"]),
        Case(select: ["stg_orders stg_payments"], types: models, expected: ["stg_orders", "stg_payments"]),
        Case(select: ["stg_orders", "stg_payments"], types: models, expected: ["stg_orders", "stg_payments"]),
        Case(
            select: ["+customer_ltv,tag:staging"], types: models,
            expected: ["stg_orders", "stg_customers", "stg_payments"]),
        // Excluding a model excludes its tests too (exclusion is always eager).
        Case(
            select: ["tag:nightly"], exclude: ["dim_customers"],
            expected: ["int_customer_geo", "fct_orders", "test_fct_orders_math"]),
        Case(
            select: [], exclude: ["tag:staging tag:nightly package:utils"], types: models,
            expected: ["int_orders_payments", "customer_ltv"]),
        // Indirect selection modes.
        Case(select: ["fct_orders"], indirect: .cautious, expected: ["fct_orders", "test_fct_orders_math"]),
        Case(
            select: ["fct_orders", "dim_customers"], indirect: .cautious,
            expected: [
                "fct_orders", "dim_customers", "test_fct_orders_math", "unique_dim_customers_customer_id",
                "relationships_fct_orders_customer_id",
            ]),
        Case(
            select: ["customer_ltv,+customer_ltv", "fct_orders"], indirect: .buildable,
            expected: [
                "customer_ltv", "fct_orders", "assert_positive_ltv", "test_fct_orders_math",
                "relationships_fct_orders_customer_id",
            ]),
        Case(select: ["fct_orders"], indirect: .buildable, expected: ["fct_orders", "test_fct_orders_math"]),
        Case(select: ["stg_orders"], indirect: .empty, expected: ["stg_orders"]),
        // Disabled nodes are not selectable.
        Case(select: ["legacy_orders"], expected: []),
    ]

    @Test(arguments: cases)
    func selects(_ c: Case) throws {
        let selector = try NodeSelector(select: c.select, exclude: c.exclude, indirectSelection: c.indirect)
        let result = try selector.resolve(in: Self.manifest, graph: Self.graph, state: nil, resourceTypes: Set(c.types))
        #expect(result == Self.ids(c.expected))
    }

    @Test func noSelectSelectsEverything() throws {
        let selector = try NodeSelector(select: [], exclude: [])
        let selection = try selector.select(in: Self.manifest, graph: Self.graph, state: nil, resourceTypes: [])
        #expect(selection.nodes == Set(Self.graph.nodeIDs))
        #expect(selection.warnings.isEmpty)
    }

    @Test func criteriaMatchingNothingWarn() throws {
        let selector = try NodeSelector(
            select: ["tag:nightly nothing_here", "legacy_orders", "stg_order"], exclude: ["tag:gone"])
        let selection = try selector.select(in: Self.manifest, graph: Self.graph, state: nil, resourceTypes: [.model])
        #expect(selection.nodes == Self.ids(["int_customer_geo", "fct_orders", "dim_customers"]))
        #expect(
            selection.warnings.map(\.description) == [
                "warning: the selection criterion 'nothing_here' does not match any enabled nodes",
                "warning: the selection criterion 'legacy_orders' does not match any enabled nodes",
                "warning: the selection criterion 'stg_order' does not match any enabled nodes",
                "warning: the selection criterion 'tag:gone' does not match any enabled nodes",
            ])
        #expect(selection.warnings.map(\.hint) == [nil, nil, "did you mean 'stg_orders'?", nil])
    }

    @Test(
        arguments: [
            (
                "tags:nightly", "error: 'tags' is not a valid method name in selector 'tags:nightly'",
                "did you mean 'tag'?"
            ),
            (
                "@+stg_orders", "error: invalid selector '@+stg_orders': the '@' and '+' prefixes cannot be combined",
                nil
            ),
            (
                "resource_type:modle",
                "error: invalid value 'modle' for the 'resource_type' method in selector 'resource_type:modle'",
                "did you mean 'model'?"
            ),
            (
                "state:modifed", "error: invalid value 'modifed' for the 'state' method in selector 'state:modifed'",
                "did you mean 'modified'?"
            ),
            ("tag:", "error: invalid selector 'tag:': nothing to select", nil),
            (
                "config:table",
                "error: invalid selector 'config:table': the config method needs a key, as in 'config.materialized:table'",
                nil
            ),
            (
                "source:a.b.c.d",
                "error: invalid source selector 'a.b.c.d': expected 'source_name', 'source_name.table_name' or 'package.source_name.table_name'",
                nil
            ),
        ] as [(String, String, String?)])
    func syntaxErrors(selector: String, message: String, hint: String?) {
        let error = #expect(throws: DiagnosticsError.self) {
            try NodeSelector(select: ["stg_orders", selector], exclude: [])
        }
        #expect(error?.diagnostics.map(\.description) == [message])
        #expect(error?.diagnostics.first?.hint == hint)
    }

    @Test func allSyntaxErrorsAreReportedTogether() {
        let error = #expect(throws: DiagnosticsError.self) {
            try NodeSelector(select: ["tagg:x,@+y"], exclude: ["resource_type:nope"])
        }
        #expect(error?.diagnostics.count == 3)
    }

    @Test func graphOperatorsParse() throws {
        let criterion = try SelectionCriterion(parsing: "2+config.materialized:table+3")
        #expect(criterion.method == .config)
        #expect(criterion.arguments == ["materialized"])
        #expect(criterion.value == "table")
        #expect(criterion.parents && criterion.parentsDepth == 2)
        #expect(criterion.children && criterion.childrenDepth == 3)
        let plain = try SelectionCriterion(parsing: "model_v2")
        #expect(plain.method == nil && plain.value == "model_v2" && !plain.parents && !plain.children)
    }

    // MARK: - state:

    static var previousManifest: Manifest {
        var previous = manifest
        previous.nodes["model.shop.customer_ltv"] = nil
        previous.nodes["model.shop.fct_orders"]?.rawCode = "select 0 as fct_orders"
        previous.nodes["model.shop.fct_orders"]?.checksum = FileChecksum(checksum: "old")
        previous.nodes["model.shop.dim_customers"]?.config["materialized"] = "view"
        previous.sources["source.shop.raw.orders"]?.schema = "raw_old"
        return previous
    }

    @Test(arguments: [
        ("state:new", ["customer_ltv"]),
        ("state:modified", ["customer_ltv", "fct_orders", "dim_customers", "raw.orders"]),
        ("state:modified.body", ["customer_ltv", "fct_orders"]),
        ("state:modified.configs", ["customer_ltv", "dim_customers"]),
        ("state:modified.relation", ["customer_ltv", "raw.orders"]),
        (
            "state:modified+",
            ["customer_ltv", "fct_orders", "dim_customers", "raw.orders", "stg_orders", "int_orders_payments"]
        ),
    ])
    func stateSelection(selector: String, expected: [String]) throws {
        let result = try NodeSelector(select: [selector], exclude: []).resolve(
            in: Self.manifest, graph: Self.graph, state: Self.previousManifest, resourceTypes: [.model, .source]
        )
        #expect(result == Self.ids(expected))
    }

    @Test func stateWithoutStateManifestIsAnError() throws {
        let selector = try NodeSelector(select: ["state:modified"], exclude: [])
        let error = #expect(throws: DiagnosticsError.self) {
            try selector.resolve(in: Self.manifest, graph: Self.graph, state: nil, resourceTypes: [])
        }
        #expect(
            error?.diagnostics.first?.message
                == "the 'state' method needs the manifest of an earlier run to compare against")
        #expect(error?.diagnostics.first?.hint == "pass --state with the folder of that manifest.json")
    }

    @Test func selectionOnTenThousandNodes() throws {
        // 100 layers of 100 models, each depending on two models of the layer above.
        var nodes: [String: ManifestNode] = [:]
        for layer in 0..<100 {
            for column in 0..<100 {
                let parents =
                    layer == 0
                    ? [] : ["model.shop.l\(layer - 1)_\(column)", "model.shop.l\(layer - 1)_\((column + 1) % 100)"]
                let node = GraphFixture.model("l\(layer)_\(column)", folder: "m", dependsOn: parents)
                nodes[node.uniqueId] = node
            }
        }
        let manifest = Manifest(
            metadata: ManifestMetadata(sqltVersion: "0", generatedAt: "", invocationId: "", projectName: "shop"),
            nodes: nodes
        )
        let graph = try DependencyGraph(manifest: manifest)
        let selected = try NodeSelector(select: ["+l50_0+"], exclude: []).resolve(
            in: manifest, graph: graph, state: nil, resourceTypes: [.model]
        )
        // 1325 ancestors (d + 1 models at distance d = 1...50), 1274 descendants (d = 1...49), and l50_0.
        #expect(selected.count == 2600)
        let everything = try NodeSelector(select: ["@l0_0"], exclude: ["m.l99_*"]).resolve(
            in: manifest, graph: graph, state: nil, resourceTypes: [.model]
        )
        #expect(everything.count == 9_900)
    }
}
