import Foundation
import ModelCompiler
import Testing

@testable import ModelRunner

@Suite struct DataTestSharedScanPlanTests {
    static var manifest: Manifest {
        var manifest = Manifest(metadata: ManifestMetadata(sqltVersion: "0", generatedAt: "", invocationId: "i", projectName: "p"))
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
                with scan as materialized (
                    select id as c0, status as c1
                    from "s"."orders"
                ),
                row_checks as (
                    select
                        count(*) filter (where c0 is null) as t0,
                        count(distinct c1) filter (where c1 not in ('open', 'it''s')) as t2
                    from scan
                ),
                t1 as (
                    select count(*) as failures from (
                        select c0 from scan where c0 is not null group by c0 having count(*) > 1
                    ) duplicated
                )
                select row_checks.t0, t1.failures as t1, row_checks.t2
                from row_checks, t1
                """)
    }
}
