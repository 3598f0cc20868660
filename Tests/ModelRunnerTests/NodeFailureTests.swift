import ModelCompiler
import Testing

@testable import ModelRunner

/// A failed node's message comes from `NodeFailure` alone, in dbt's words.
@Suite struct NodeFailureTests {
    @Test func modelFailuresNameTheKindTheModelAndItsFile() {
        let node = PlanFixture.node("orders")
        #expect(
            NodeFailure.compilation("unknown materialization 'nosuch'").message(uniqueId: node.uniqueId, node: node)
                == "Compilation Error in model orders (models/orders.sql)\n  unknown materialization 'nosuch'")
        #expect(
            NodeFailure.database("relation \"x\" does not exist").message(uniqueId: node.uniqueId, node: node)
                == "Database Error in model orders (models/orders.sql)\n  relation \"x\" does not exist")
        #expect(
            NodeFailure.runtime("boom").message(uniqueId: node.uniqueId, node: node)
                == "Runtime Error in model orders (models/orders.sql)\n  boom")
    }

    @Test func runnerFailures() {
        let missing = NodeResult(uniqueId: "model.shop.gone", failure: .notInManifest)
        #expect(missing.status == .error)
        #expect(missing.message == "model.shop.gone is not in the manifest")
        #expect(missing.failure == .notInManifest)
        #expect(
            NodeResult(uniqueId: "x", failure: .noExecutor(.analysis)).message == "no executor for analysis nodes")
        #expect(
            NodeResult(uniqueId: "x", failure: .connection("timeout"), threadId: "Thread-1").message
                == "could not connect to the database: timeout")
    }

    @Test func anUnknownMaterializationFailsTheModelBeforeAnyStatement() {
        // A manifest read from elsewhere can name one; the compiler rejects it in a project.
        let node = PlanFixture.node("orders", config: ["materialized": "nosuch"])
        #expect(node.materialization == nil)
        #expect(ModelExecutor.materialization(for: .ephemeral) == nil)
        #expect(ModelExecutor.materialization(for: .seed) == nil)
        #expect(ModelExecutor.materialization(for: .incremental) is IncrementalMaterialization)
    }
}
