import Foundation
import ModelCompiler
import Testing

@testable import ModelRunner

@Suite struct DataTestSharedScanPlanTests {
    static var manifest: Manifest {
        var manifest = Manifest(
            metadata: ManifestMetadata(sqltVersion: "0", generatedAt: "", invocationId: "i", projectName: "p"))
        for name in ["orders", "users"] {
            manifest.nodes["model.p.\(name)"] = ManifestNode(
                uniqueId: "model.p.\(name)", resourceType: .model, name: name, packageName: "p", path: "\(name).sql",
                originalFilePath: "models/\(name).sql", fqn: ["p", name], schema: "s", alias: name,
                relationName: "\"s\".\"\(name)\"", rawCode: "")
        }
        return manifest
    }

    @Test func groupsSimpleTestsOfOneModel() {
        let nodes = [
            makeTestNode("a", test: "not_null"),
            makeTestNode("b", test: "unique"),
            makeTestNode("c", test: "accepted_values", column: "status", kwargs: ["values": ["open", "it's"]]),
            makeTestNode("d", test: "not_null", config: ["where": "id > 0"]),
            makeTestNode("e", test: "unique", model: "model.p.users"),
            makeTestNode("f", test: "accepted_range", namespace: "dbt_utils", kwargs: ["min_value": 0]),
        ]
        let plan = SharedScanPlanner.plan(nodes, manifest: Self.manifest)
        #expect(plan.groups.count == 1)
        #expect(plan.groups[0].members.map(\.node.name) == ["a", "b", "c"])
        #expect(plan.individual.map(\.name) == ["d", "e", "f"])
        #expect(
            plan.groups[0].sql == """
                select row_checks.t0, t1.failures as t1, row_checks.t2
                from (
                    select
                        count(*) filter (where id is null) as t0,
                        count(distinct status) filter (where status not in ('open', 'it''s')) as t2
                    from "s"."orders"
                ) row_checks,
                (
                    select count(*) as failures from (
                        select id from "s"."orders" where id is not null group by id having count(*) > 1
                    ) duplicated
                ) t1
                """)
    }
}
