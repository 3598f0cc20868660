import Testing

@testable import ModelCompiler

@Suite struct SchedulerTests {
    static func m(_ name: String) -> String { "model.shop.\(name)" }
    static func start(_ names: String...) -> [DAGScheduler.Action] { names.map { .start(m($0)) } }

    /// Runs a scheduler to the end, one node at a time in the order actions arrive; `outcome` decides each status.
    static func drive(
        _ scheduler: inout DAGScheduler, outcome: (String) -> DAGScheduler.Status = { _ in .success }
    ) -> (started: [String], skipped: [String: String]) {
        var queue: [String] = []
        var started: [String] = []
        var skipped: [String: String] = [:]
        func take(_ actions: [DAGScheduler.Action]) {
            for action in actions {
                switch action {
                case .start(let id): queue.append(id)
                case .skip(let id, let because): skipped[id] = because.description
                }
            }
        }
        take(scheduler.initialActions())
        while !queue.isEmpty {
            let id = queue.removeFirst()
            started.append(id)
            take(scheduler.finished(id, outcome(id)))
        }
        return (started, skipped)
    }

    // swift-format-ignore: NeverUseForceTry
    // (a fixed fixture: it cannot fail)
    let diamond = try! DependencyGraph(
        manifest: GraphFixture.models(["a": [], "b": ["a"], "c": ["a"], "d": ["b", "c"]]))

    @Test func diamondRunsParentsBeforeChildren() {
        var scheduler = DAGScheduler(graph: diamond, selected: GraphFixture.ids("a", "b", "c", "d"))
        #expect(scheduler.initialActions() == Self.start("a"))
        #expect(!scheduler.isComplete)
        #expect(scheduler.finished(Self.m("a"), .success) == Self.start("b", "c"))
        #expect(scheduler.finished(Self.m("c"), .success) == [])
        #expect(scheduler.finished(Self.m("b"), .success) == Self.start("d"))
        #expect(scheduler.finished(Self.m("d"), .success) == [])
        #expect(scheduler.isComplete)
    }

    @Test func chainRunsInOrder() {
        let graph = try! DependencyGraph(manifest: GraphFixture.models(["a": [], "b": ["a"], "c": ["b"], "d": ["c"]]))
        var scheduler = DAGScheduler(graph: graph, selected: GraphFixture.ids("a", "b", "c", "d"))
        let run = Self.drive(&scheduler)
        #expect(run.started == ["a", "b", "c", "d"].map(Self.m))
        #expect(run.skipped.isEmpty)
        #expect(scheduler.isComplete)
    }

    @Test func failureSkipsDescendantsButSiblingsContinue() {
        // a -> b -> d -> e, a -> c -> f
        let graph = try! DependencyGraph(
            manifest: GraphFixture.models(["a": [], "b": ["a"], "c": ["a"], "d": ["b"], "e": ["d"], "f": ["c"]])
        )
        var scheduler = DAGScheduler(graph: graph, selected: GraphFixture.ids("a", "b", "c", "d", "e", "f"))
        #expect(scheduler.initialActions() == Self.start("a"))
        #expect(scheduler.finished(Self.m("a"), .success) == Self.start("b", "c"))
        #expect(
            scheduler.finished(Self.m("b"), .failure) == [
                .skip(Self.m("d"), because: .failed(Self.m("b"))), .skip(Self.m("e"), because: .failed(Self.m("b"))),
            ])
        #expect(!scheduler.isComplete)
        #expect(scheduler.finished(Self.m("c"), .success) == Self.start("f"))
        #expect(scheduler.finished(Self.m("f"), .success) == [])
        #expect(scheduler.isComplete)
    }

    @Test func skippedNodeSkipsItsDescendants() {
        var scheduler = DAGScheduler(graph: diamond, selected: GraphFixture.ids("a", "b", "c", "d"))
        let run = Self.drive(&scheduler) { $0 == Self.m("c") ? .skipped : .success }
        #expect(run.started == ["a", "b", "c"].map(Self.m))
        #expect(run.skipped == [Self.m("d"): Self.m("c")])
        #expect(scheduler.isComplete)
    }

    @Test func failFastSkipsEverythingNotStarted() {
        let graph = try! DependencyGraph(
            manifest: GraphFixture.models(["a": [], "b": [], "c": ["a"], "d": ["b"], "e": []])
        )
        var scheduler = DAGScheduler(
            graph: graph, selected: GraphFixture.ids("a", "b", "c", "d", "e"), failFast: true, maxRunning: 2)
        // a and b have a child each (height 1), so they start before e.
        #expect(scheduler.initialActions() == Self.start("a", "b"))
        #expect(
            scheduler.finished(Self.m("a"), .failure) == [
                .skip(Self.m("c"), because: .failed(Self.m("a"))), .skip(Self.m("e"), because: .failed(Self.m("a"))),
                .skip(Self.m("d"), because: .failed(Self.m("a"))),
            ])
        #expect(scheduler.isHalted)
        #expect(!scheduler.isComplete)
        // b was already running: its result is taken, nothing else starts.
        #expect(scheduler.finished(Self.m("b"), .success) == [])
        #expect(scheduler.isComplete)
    }

    @Test func dependenciesOutsideSelectionCountAsDone() {
        var scheduler = DAGScheduler(graph: diamond, selected: GraphFixture.ids("b", "d"))
        #expect(scheduler.initialActions() == Self.start("b"))
        #expect(scheduler.finished(Self.m("b"), .success) == Self.start("d"))
        #expect(scheduler.finished(Self.m("d"), .success) == [])
        #expect(scheduler.isComplete)
    }

    @Test func orderIsKeptAcrossUnselectedNodes() {
        // a -> x -> b with x not selected: b still waits for a (dbt keeps transitive edges), and a
        // failure of a skips b. c hangs below x only, so it has no selected ancestor and is ready at once.
        let graph = try! DependencyGraph(
            manifest: GraphFixture.models(["a": [], "x": ["a"], "b": ["x"], "y": [], "c": ["y"]]))
        var scheduler = DAGScheduler(graph: graph, selected: GraphFixture.ids("a", "b", "c"))
        #expect(scheduler.initialActions() == Self.start("a", "c"))
        #expect(scheduler.finished(Self.m("a"), .success) == Self.start("b"))

        var failing = DAGScheduler(graph: graph, selected: GraphFixture.ids("a", "b"))
        #expect(failing.initialActions() == Self.start("a"))
        #expect(failing.finished(Self.m("a"), .failure) == [.skip(Self.m("b"), because: .failed(Self.m("a")))])
        #expect(failing.isComplete)
    }

    @Test func selectedIDsOutsideTheGraphStillRun() {
        var scheduler = DAGScheduler(
            graph: diamond, selected: ["operation.shop.hook", Self.m("a")],
            extraDependencies: ["operation.shop.hook": [Self.m("a")]]
        )
        #expect(scheduler.initialActions() == Self.start("a"))
        #expect(scheduler.finished(Self.m("a"), .success) == [.start("operation.shop.hook")])
        #expect(scheduler.finished("operation.shop.hook", .success) == [])
        #expect(scheduler.isComplete)
    }

    @Test func emptySelectionIsCompleteAtOnce() {
        var scheduler = DAGScheduler(graph: diamond, selected: [])
        #expect(scheduler.initialActions() == [])
        #expect(scheduler.isComplete)
    }

    @Test func criticalPathFirstThenUniqueID() {
        // x has the longest chain below it, so it starts before a although a sorts first.
        let graph = try! DependencyGraph(
            manifest: GraphFixture.models([
                "a": [], "b": [], "x": [], "y": ["x"], "z": ["y"], "w": ["a"],
            ]))
        var scheduler = DAGScheduler(
            graph: graph, selected: GraphFixture.ids("a", "b", "x", "y", "z", "w"), maxRunning: 1)
        let run = Self.drive(&scheduler)
        // After x: a and y both have height 1, a sorts first; then the height-0 nodes by id.
        #expect(run.started == ["x", "a", "y", "b", "w", "z"].map(Self.m))
    }

    @Test func reportsForNodesNotRunningAreIgnored() {
        var scheduler = DAGScheduler(graph: diamond, selected: GraphFixture.ids("a", "b", "c", "d"))
        _ = scheduler.initialActions()
        #expect(scheduler.finished(Self.m("d"), .success) == [])
        #expect(scheduler.finished("model.shop.unknown", .failure) == [])
        #expect(scheduler.initialActions() == [])
        #expect(scheduler.runningCount == 1)
    }

    @Test func buildGatesChildrenOnTests() {
        let manifest = GraphFixture.manifest
        let graph = GraphFixture.graph
        let selected = Set(manifest.nodes.keys)
        var scheduler = DAGScheduler(
            graph: graph, selected: selected, extraDependencies: graph.buildTestDependencies(manifest: manifest)
        )
        let failingTest = "test.shop.unique_dim_customers_customer_id"
        let run = Self.drive(&scheduler) { $0 == failingTest ? .failure : .success }
        #expect(
            run.skipped == [
                "model.shop.customer_ltv": failingTest, "test.shop.assert_positive_ltv": failingTest,
            ])
        let position = Dictionary(uniqueKeysWithValues: run.started.enumerated().map { ($1, $0) })
        // The relationships test waits for both models it tests.
        #expect(position["test.shop.relationships_fct_orders_customer_id"]! > position["model.shop.dim_customers"]!)
        #expect(position["test.shop.relationships_fct_orders_customer_id"]! > position["model.shop.fct_orders"]!)
        #expect(position["model.shop.int_orders_payments"]! > position["test.shop.not_null_stg_orders_order_id"]!)
        #expect(run.started.count + run.skipped.count == selected.count)
        #expect(scheduler.isComplete)
    }

    @Test func cyclicExtraDependenciesAreSkippedNotHung() {
        var scheduler = DAGScheduler(
            graph: diamond, selected: GraphFixture.ids("a", "b"), extraDependencies: [Self.m("a"): [Self.m("b")]]
        )
        #expect(
            scheduler.initialActions() == [
                .skip(Self.m("a"), because: .dependencyCycle), .skip(Self.m("b"), because: .dependencyCycle),
            ])
        #expect(scheduler.isComplete)
    }

    @Test func tenThousandNodesSchedule() throws {
        // A wide layered graph: 100 layers of 100 models, each depending on two models of the layer above.
        var nodes: [String: ManifestNode] = [:]
        for layer in 0..<100 {
            for column in 0..<100 {
                let parents =
                    layer == 0
                    ? []
                    : [
                        "model.shop.l\(layer - 1)_\(column)", "model.shop.l\(layer - 1)_\((column + 1) % 100)",
                    ]
                let node = GraphFixture.model("l\(layer)_\(column)", folder: "m", dependsOn: parents)
                nodes[node.uniqueId] = node
            }
        }
        let manifest = Manifest(
            metadata: ManifestMetadata(sqltVersion: "0", generatedAt: "", invocationId: "", projectName: "shop"),
            nodes: nodes
        )
        let graph = try DependencyGraph(manifest: manifest)
        #expect(graph.ancestors(of: "model.shop.l50_0").count == 1325)
        #expect(graph.descendants(of: "model.shop.l50_0").count == 1274)
        var scheduler = DAGScheduler(graph: graph, selected: Set(nodes.keys), maxRunning: 4)
        let run = Self.drive(&scheduler)
        #expect(run.started.count == 10_000)
        #expect(scheduler.isComplete)
    }
}
