import Foundation
import Testing
@testable import ModelCompiler

/// `CompiledProject.deferring`: refs to unselected nodes read the state manifest's relations
/// when theirs is missing (always with `favorState`); selected and ephemeral nodes never.
@Suite struct DeferTests {
    static let files = [
        "sqlt_project.yml": "name: shop\n",
        "seeds/people.csv": "id\n1\n",
        "models/base.sql": "select id from {{ ref('people') }}",
        "models/eph.sql": "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('base') }}",
        "models/top.sql": "select * from {{ ref('base') }} join {{ ref('eph') }} using (id)",
    ]

    static func compile(schema: String) throws -> CompiledProject {
        try ProjectLoader.compile(fs: InMemoryFileSystem(files), options: CompileOptions(target: TargetInfo(schema: schema), environment: [:]))
    }

    @Test func unbuiltParentsReadTheStateRelations() throws {
        let production = try Self.compile(schema: "prod").manifest
        let dev = try Self.compile(schema: "dev")
        let selected: Set<String> = ["model.shop.top"]
        let missing = dev.deferring(to: production, selected: selected, favorState: false) { _, _ in false }
        #expect(missing.deferred == ["model.shop.base", "seed.shop.people"])
        let sql = try missing.project.render("model.shop.top", options: RenderOptions(), adapter: nil)
        #expect(sql.contains(#""prod"."base""#))
        #expect(!sql.contains(#""dev"."base""#))
        // The ephemeral model is inlined, never deferred; its own ref follows the deferral too.
        #expect(sql.contains("__dbt__cte__eph"))
        // Relations that exist in dev are kept, unless the state is favoured.
        let existing = dev.deferring(to: production, selected: selected, favorState: false) { _, name in name == "base" }
        #expect(existing.deferred == ["seed.shop.people"])
        #expect(try existing.project.render("model.shop.top", options: RenderOptions(), adapter: nil).contains(#""dev"."base""#))
        let favoured = dev.deferring(to: production, selected: selected, favorState: true) { _, _ in true }
        #expect(favoured.deferred == ["model.shop.base", "seed.shop.people"])
        // Selected nodes are built here: not deferred.
        #expect(dev.deferring(to: production, selected: Set(dev.manifest.nodes.keys), favorState: true) { _, _ in false }.deferred.isEmpty)
    }
}
