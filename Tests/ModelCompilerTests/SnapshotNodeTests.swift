import Foundation
import Testing

@testable import ModelCompiler

/// Snapshot nodes from `{% snapshot %}` blocks and YAML `snapshots:` entries: configuration,
/// schemas as dbt 1.9 names them, compiled SQL, edges, and configuration errors at file:line:col.
@Suite struct SnapshotNodeTests {
    static let project: [String: String] = [
        "dbt_project.yml": """
        name: hr
        snapshots:
          hr:
            +unique_key: id
            legacy:
              +target_schema: history
        """,
        "models/sources.yml": """
        version: 2
        sources:
          - name: raw
            tables: [{name: people}]
        """,
        "models/current_people.sql": "select * from {{ ref('people_snapshot') }} where dbt_valid_to is null",
        "snapshots/people.sql": """
        -- two blocks in one file
        {% snapshot people_snapshot %}
        {{ config(strategy='timestamp', updated_at='updated_at', schema='snap') }}
        select * from {{ source('raw', 'people') }}
        {% endsnapshot %}
        {% snapshot people_check %}
            {{ config(strategy='check', check_cols='all', hard_deletes='new_record') }}
            select id, name from {{ source('raw', 'people') }}
        {% endsnapshot %}
        """,
        "snapshots/legacy/old.sql": """
        {% snapshot old_people %}
        {{ config(strategy='check', check_cols=['name']) }}
        select * from {{ ref('current_people') }}
        {% endsnapshot %}
        """,
        "snapshots/snapshots.yml": """
        version: 2
        snapshots:
          - name: people_yaml
            relation: source('raw', 'people')
            description: From YAML.
            config:
              strategy: timestamp
              updated_at: updated_at
              unique_key: [id, bu]
            columns:
              - name: id
                meta: {pii: indirect}
          - name: people_check
            description: Described in YAML.
        """,
    ]

    static func compile(_ files: [String: String]) throws -> CompiledProject {
        try ProjectLoader.compile(
            fs: InMemoryFileSystem(files),
            options: CompileOptions(target: TargetInfo(schema: "analytics"), vars: [:], environment: [:]))
    }

    @Test func blocksAndYAMLBecomeSnapshotNodes() throws {
        let manifest = try Self.compile(Self.project).manifest
        let block = try #require(manifest.nodes["snapshot.hr.people_snapshot"])
        #expect(block.resourceType == .snapshot)
        #expect(block.materialization == .snapshot)
        #expect(block.config["unique_key"] == "id")
        #expect(block.schema == "analytics_snap")
        #expect(block.fqn == ["hr", "people", "people_snapshot"])
        #expect(block.dependsOn.nodes == ["source.hr.raw.people"])
        // The body alone, on the file's own lines (the text before the block is blanked).
        let compiled = try #require(block.compiledCode)
        #expect(compiled.split(separator: "\n", omittingEmptySubsequences: false).count == 5)
        #expect(compiled.trimmingCharacters(in: .whitespacesAndNewlines) == #"select * from "raw"."people""#)

        let second = try #require(manifest.nodes["snapshot.hr.people_check"])
        #expect(second.config["hard_deletes"] == "new_record")
        #expect(second.description == "Described in YAML.")
        #expect(
            second.compiledCode?.trimmingCharacters(in: .whitespacesAndNewlines)
                == #"select id, name from "raw"."people""#)

        let legacy = try #require(manifest.nodes["snapshot.hr.old_people"])
        #expect(legacy.schema == "history")
        #expect(legacy.relationName == #""history"."old_people""#)
        #expect(legacy.dependsOn.nodes == ["model.hr.current_people"])

        let yaml = try #require(manifest.nodes["snapshot.hr.people_yaml"])
        #expect(yaml.config["unique_key"] == .array(["id", "bu"]))
        #expect(yaml.compiledCode == #"select * from "raw"."people""#)
        #expect(yaml.columns["id"]?.pii == "indirect")
        #expect(yaml.dependsOn.nodes == ["source.hr.raw.people"])

        // ref() to a snapshot is an edge and renders its relation.
        let model = try #require(manifest.nodes["model.hr.current_people"])
        #expect(model.dependsOn.nodes == ["snapshot.hr.people_snapshot"])
        #expect(model.compiledCode == #"select * from "analytics_snap"."people_snapshot" where dbt_valid_to is null"#)
    }

    struct BadConfig: Sendable, CustomTestStringConvertible {
        var config: String
        var message: String
        var testDescription: String { message }
    }

    @Test(arguments: [
        BadConfig(config: "strategy='timestamp'", message: "the timestamp strategy needs 'updated_at'"),
        BadConfig(config: "updated_at='u'", message: "snapshot has no 'strategy'"),
        BadConfig(config: "strategy='timestmap', updated_at='u'", message: "unknown snapshot strategy 'timestmap'"),
        BadConfig(config: "strategy='check'", message: "the check strategy needs 'check_cols'"),
        BadConfig(
            config: "strategy='check', check_cols='all', hard_deletes='erase'",
            message: "'hard_deletes' must be ignore, invalidate or new_record, not 'erase'"),
        BadConfig(
            config: "strategy='check', check_cols='all', hard_deletes='invalidate', invalidate_hard_deletes=True",
            message: "set either 'hard_deletes' or the older 'invalidate_hard_deletes', not both"),
    ])
    func badConfigurationIsACompileErrorAtTheBlock(_ bad: BadConfig) throws {
        let files = [
            "dbt_project.yml": "name: hr",
            "snapshots/s.sql":
                "\n{% snapshot s %}\n{{ config(unique_key='id', \(bad.config)) }}\nselect 1 as id\n{% endsnapshot %}\n",
        ]
        do {
            _ = try Self.compile(files)
            Issue.record("expected a compile error")
        } catch let error as DiagnosticsError {
            let diagnostic = try #require(error.diagnostics.first { $0.severity == .error })
            #expect(diagnostic.message == bad.message)
            #expect(diagnostic.location?.description == "snapshots/s.sql:2:1")
        }
    }

    @Test func unknownStrategyHintsTheClosestOne() throws {
        let files = [
            "dbt_project.yml": "name: hr",
            "snapshots/s.sql":
                "{% snapshot s %}{{ config(unique_key='id', strategy='chek', check_cols='all') }}select 1 as id{% endsnapshot %}",
        ]
        #expect {
            _ = try Self.compile(files)
        } throws: { error in
            (error as? DiagnosticsError)?.diagnostics.contains { $0.hint == "did you mean 'check'?" } == true
        }
    }

    /// A snapshot's columns come from its query (plus the dbt_* columns): personal data flows into
    /// it and through it, and the privacy check audits its declarations like a model's.
    @Test func personalDataFlowsThroughASnapshotAndIsAudited() throws {
        let files = [
            "dbt_project.yml": "name: hr",
            "models/sources.yml": """
            version: 2
            sources:
              - name: raw
                tables:
                  - name: people
                    columns:
                      - {name: id, meta: {pii: indirect}}
                      - {name: email, meta: {pii: direct}}
                      - {name: bu}
            """,
            "snapshots/people.sql": """
            {% snapshot people_history %}
            {{ config(unique_key='person', strategy='check', check_cols='all', hard_deletes='new_record') }}
            select id as person, email, bu from {{ source('raw', 'people') }}
            {% endsnapshot %}
            """,
            "snapshots/props.yml": """
            version: 2
            snapshots:
              - name: people_history
                columns:
                  - {name: person, meta: {pii: indirect}}
            """,
            "models/current.sql":
                "select person, email, dbt_valid_from from {{ ref('people_history') }} where dbt_valid_to is null",
        ]
        let compiled = try Self.compile(files)
        let lineage = ProjectLineage.build(compiled: compiled, maskingFunctions: [:])
        let snapshot = try #require(lineage.nodes["snapshot.hr.people_history"])
        #expect(snapshot.resourceType == "snapshot")
        #expect(
            snapshot.columns.map(\.name) == [
                "person", "email", "bu", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to",
                "dbt_is_deleted",
            ])
        #expect(snapshot.columns.first { $0.name == "email" }?.privacy == "direct")
        let model = try #require(lineage.nodes["model.hr.current"])
        #expect(model.columns.first { $0.name == "email" }?.piiSources.map(\.node) == ["source.hr.raw.people"])
        #expect(model.columns.first { $0.name == "dbt_valid_from" }?.privacy == "none")
        let findings = PrivacyAudit.check(lineage, manifest: compiled.manifest, fileSystem: nil)
        #expect(findings.filter { $0.model == "snapshot.hr.people_history" }.map(\.column) == ["email"])
        #expect(findings.filter { $0.model == "model.hr.current" }.map(\.column).sorted() == ["email", "person"])
    }
}
