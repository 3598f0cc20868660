import Foundation
import Testing

@testable import ModelCompiler

/// Project-wide lineage on a small in-memory project: a CTE chain across two models, star expansion
/// from a seed and an upstream model, a masked column, a pseudonymisation and an ephemeral model.
@Suite struct ProjectLineageTests {
    static let files: [String: String] = [
        "sqlt_project.yml": """
        name: p
        profile: p
        vars:
          sqlt_masking_functions:
            - {name: pseudonymise, outputs: indirect}
            - blur
        models:
          p:
            +materialized: table
        """,
        "seeds/people.csv": "id,name,email,city,salary\n1,Ann,a@x,Lyon,100\n",
        "seeds/_seeds.yml": """
        version: 2
        seeds:
          - name: people
            columns:
              - name: id
                meta: {pii: indirect}
              - name: name
                meta: {pii: direct}
              - name: email
                meta: {pii: direct}
              - name: salary
                meta: {pii: sensitive}
        """,
        "models/stg.sql": """
        with base as (select * from {{ ref('people') }}),
        renamed as (select id, name as full_name, city, salary from base)
        select * from renamed
        """,
        "models/eph.sql": """
        {{ config(materialized='ephemeral') }}
        select id, md5(email) as email_hash from {{ ref('people') }}
        """,
        "models/mart.sql": """
        with s as (select * from {{ ref('stg') }})
        select s.*, e.email_hash, pseudonymise(s.full_name) as display, blur(s.salary) as salary_band
        from s join {{ ref('eph') }} e on e.id = s.id
        """,
        "models/leak.sql": """
        select m.id, m.full_name, x.thing from {{ ref('mart') }} m join other_schema.unknown_table x on x.id = m.id
        """,
        "models/raw_copy.sql": "select * from other_schema.raw_people",
        "models/_models.yml": """
        version: 2
        models:
          - name: stg
            columns:
              - name: full_name
                meta: {pii: direct}
        """,
    ]

    static func lineage(models: Set<String>? = nil) throws -> ProjectLineage {
        let fs = InMemoryFileSystem(files)
        let compiled = try ProjectLoader.compile(
            fs: fs, options: CompileOptions(target: TargetInfo(schema: "analytics"), environment: [:]))
        let masking = MaskingConfiguration.functions(for: compiled)
        #expect(masking.warnings.isEmpty)
        return ProjectLineage.build(
            compiled: compiled, maskingFunctions: masking.functions, fileSystem: fs, generatedAt: "now", models: models)
    }

    /// lineage.json is written node by node on every core, with the bytes one JSONEncoder gives.
    @Test func jsonDataMatchesJSONEncoder() throws {
        let lineage = try Self.lineage()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(lineage.nodes.count > 5)
        #expect(
            String(decoding: try lineage.jsonData(), as: UTF8.self)
                == String(decoding: try encoder.encode(lineage), as: UTF8.self))
        let empty = ProjectLineage(generatedAt: "t\"/", nodes: [:])
        #expect(try empty.jsonData() == (try encoder.encode(empty)))
    }

    /// A run of some models analyses them and their upstream models only, with the same result as
    /// the whole project's lineage for those models.
    @Test func lineageOfSelectedModelsAndTheirUpstream() throws {
        let full = try Self.lineage()
        let scoped = try Self.lineage(models: ["model.p.mart"])
        let models = scoped.nodes.values.filter { $0.resourceType == "model" }.map(\.uniqueId).sorted()
        #expect(models == ["model.p.eph", "model.p.mart", "model.p.stg"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for id in models {
            #expect(try encoder.encode(scoped.nodes[id]) == (try encoder.encode(full.nodes[id])), "\(id)")
        }
        #expect(scoped.nodes["seed.p.people"] != nil)
        #expect(try Self.lineage(models: []).nodes.values.allSatisfy { $0.resourceType != "model" })
    }

    @Test func starExpansionAcrossCTEsAndModels() throws {
        let lineage = try Self.lineage()
        let stg = try #require(lineage.nodes["model.p.stg"])
        #expect(stg.columns.map(\.name) == ["id", "full_name", "city", "salary"])
        #expect(stg.inputNodes == ["seed.p.people"])
        let fullName = try #require(stg.column("full_name"))
        #expect(fullName.privacy == "direct")
        #expect(fullName.declared == "direct")
        #expect(fullName.inherited == "direct")
        #expect(fullName.piiSources == [ColumnReference(node: "seed.p.people", column: "name", privacy: "direct")])
        #expect(fullName.inputs.first?.node == "seed.p.people")
        #expect(fullName.inputs.first?.column == "name")
        #expect(fullName.inputs.first?.subtype == "IDENTITY")
        #expect(stg.column("city")?.privacy == "none")

        let mart = try #require(lineage.nodes["model.p.mart"])
        #expect(
            mart.columns.map(\.name) == ["id", "full_name", "city", "salary", "email_hash", "display", "salary_band"])
        #expect(mart.column("full_name")?.privacy == "direct")
        #expect(mart.column("full_name")?.inputs.first?.node == "model.p.stg")
        #expect(mart.column("salary")?.privacy == "sensitive")
    }

    @Test func maskingAndPseudonymisation() throws {
        let mart = try #require(try Self.lineage().nodes["model.p.mart"])
        let hash = try #require(mart.column("email_hash"))
        #expect(hash.privacy == "none")
        #expect(hash.inputs.first?.node == "model.p.eph")
        let display = try #require(mart.column("display"))
        #expect(display.privacy == "indirect")
        #expect(display.inputs.first?.masking == true)
        #expect(display.inputs.first?.maskedBy == ["pseudonymise"])
        #expect(mart.column("salary_band")?.privacy == "none")
    }

    @Test func ephemeralModelIsANode() throws {
        let lineage = try Self.lineage()
        let eph = try #require(lineage.nodes["model.p.eph"])
        #expect(eph.relationName == nil)
        #expect(eph.columns.map(\.name) == ["id", "email_hash"])
        #expect(eph.column("email_hash")?.inputs.first?.maskedBy == ["md5"])
        #expect(lineage.nodes["model.p.mart"]?.inputNodes.contains("model.p.eph") == true)
        let seed = try #require(lineage.nodes["seed.p.people"])
        #expect(seed.columns.map(\.name) == ["id", "name", "email", "city", "salary"])
        #expect(seed.column("salary")?.privacy == "sensitive")
    }

    @Test func unresolvedRelationIsAWarning() throws {
        let lineage = try Self.lineage()
        let leak = try #require(lineage.nodes["model.p.leak"])
        #expect(leak.column("full_name")?.privacy == "direct")
        #expect(leak.column("thing")?.inputs.first?.node == nil)
        let warning = try #require(lineage.warnings.first { $0.message.contains("other_schema.unknown_table") })
        // Located in the model's own file, through the template's source map.
        let source = try #require(Self.files["models/leak.sql"])
        let offset = try #require(source.range(of: "unknown_table")).lowerBound.utf16Offset(in: source)
        #expect(warning.location?.file == "models/leak.sql")
        #expect(warning.location?.line == 1)
        #expect(warning.location?.column == offset + 1)
        #expect(!leak.issues.isEmpty)
    }

    @Test func databaseCatalogKnowsExternalRelations() throws {
        let fs = InMemoryFileSystem(Self.files)
        let compiled = try ProjectLoader.compile(
            fs: fs, options: CompileOptions(target: TargetInfo(schema: "analytics"), environment: [:]))
        let masking = MaskingConfiguration.functions(for: compiled).functions
        let before = ProjectLineage.build(compiled: compiled, maskingFunctions: masking, fileSystem: fs)
        #expect(before.unknownRelations.contains(RelationRef(schema: "other_schema", name: "raw_people")))
        #expect(before.nodes["model.p.raw_copy"]?.columns.isEmpty == true)
        let after = ProjectLineage.build(
            compiled: compiled, maskingFunctions: masking,
            database: [RelationRef(schema: "other_schema", name: "raw_people"): ["person_id", "label"]], fileSystem: fs)
        let copy = try #require(after.nodes["model.p.raw_copy"])
        #expect(copy.columns.map(\.name) == ["person_id", "label"])
        #expect(copy.column("label")?.inputs.first?.relation == "other_schema.raw_people")
        #expect(copy.column("label")?.inputs.first?.node == nil)
        #expect(!after.unknownRelations.contains(RelationRef(schema: "other_schema", name: "raw_people")))
    }

    @Test func roundTripsThroughJSON() throws {
        let lineage = try Self.lineage()
        let data = try JSONEncoder().encode(lineage)
        let decoded = try JSONDecoder().decode(ProjectLineage.self, from: data)
        #expect(decoded.nodes.keys.sorted() == lineage.nodes.keys.sorted())
        #expect(decoded.nodes["model.p.mart"]?.column("display")?.privacy == "indirect")
        #expect(decoded.maskingFunctions["pseudonymise"] == .indirect)
    }

    @Test(
        arguments: [
            ("id,name\n1,a", ["id", "name"]),
            ("\u{FEFF}\"a b\", c ,\"d\"\"e\"\r\nx", ["a b", "c", "d\"e"]),
            ("", nil),
        ] as [(String, [String]?)])
    func seedHeader(text: String, expected: [String]?) {
        #expect(SeedHeader.columns(ofCSV: text) == expected)
    }
}
