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
        try ProjectLoader.compile(
            fs: InMemoryFileSystem(files), options: CompileOptions(target: TargetInfo(schema: schema), environment: [:])
        )
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
        let existing = dev.deferring(to: production, selected: selected, favorState: false) { _, name in name == "base"
        }
        #expect(existing.deferred == ["seed.shop.people"])
        #expect(
            try existing.project.render("model.shop.top", options: RenderOptions(), adapter: nil).contains(
                #""dev"."base""#))
        let favoured = dev.deferring(to: production, selected: selected, favorState: true) { _, _ in true }
        #expect(favoured.deferred == ["model.shop.base", "seed.shop.people"])
        // Selected nodes are built here: not deferred.
        #expect(
            dev.deferring(to: production, selected: Set(dev.manifest.nodes.keys), favorState: true) { _, _ in false }
                .deferred.isEmpty)
    }
}

/// `--sample` windows as dbt computes them, and the filtered relations refs render to.
@Suite struct SampleWindowTests {
    static let now = ISO8601DateFormatter().date(from: "2024-09-17T16:06:00Z")!

    @Test(arguments: [
        ("1 day", "2024-09-16 00:00:00+00:00"), ("2 hours", "2024-09-17 14:00:00+00:00"),
        ("1 month", "2024-08-01 00:00:00+00:00"), ("3 years", "2021-01-01 00:00:00+00:00"),
    ])
    func relativeWindowsStartAtTheTruncatedUnit(text: String, start: String) throws {
        let window = try SampleWindow.parse(text, now: Self.now)
        #expect(window.filter("at") == "at >= '\(start)' and at < '2024-09-17 16:06:00+00:00'")
    }

    @Test func staticWindowsAndErrors() throws {
        let window = try SampleWindow.parse("{start: 2024-07-01, end: '2024-07-08 18:00:00'}", now: Self.now)
        #expect(window.filter("t") == "t >= '2024-07-01 00:00:00+00:00' and t < '2024-07-08 18:00:00+00:00'")
        #expect(throws: Diagnostic.self) { try SampleWindow.parse("3 weeks", now: Self.now) }
        #expect(throws: Diagnostic.self) { try SampleWindow.parse("days", now: Self.now) }
    }

    @Test func refsWithAnEventTimeAreFiltered() throws {
        let files = [
            "sqlt_project.yml": "name: shop\nseeds:\n  shop:\n    events:\n      +event_time: at\n",
            "seeds/events.csv": "id,at\n1,2024-01-01\n",
            "seeds/plain.csv": "id\n1\n",
            "models/m.sql": "select * from {{ ref('events') }} join {{ ref('plain') }} using (id)",
        ]
        let project = try ProjectLoader.compile(
            fs: InMemoryFileSystem(files), options: CompileOptions(target: TargetInfo(schema: "s"), environment: [:]))
        let window = try SampleWindow.parse("1 day", now: Self.now)
        let sql = try project.render("model.shop.m", options: RenderOptions(sample: window), adapter: nil)
        #expect(
            sql.contains(
                #"(select * from "s"."events" where at >= '2024-09-16 00:00:00+00:00' and at < '2024-09-17 16:06:00+00:00') _dbt_et_filter_subq_events"#
            ))
        #expect(sql.contains(#"join "s"."plain" using"#))
        #expect(
            try project.render("model.shop.m", options: RenderOptions(), adapter: nil).contains(
                #"from "s"."events" join"#))
    }
}
