import Foundation
import Testing

@testable import ModelCompiler

/// dbt's model versions: one node per version, named and related as dbt-core 1.11 names them.
@Suite struct ModelVersionTests {
    static let files: [String: String] = [
        "dbt_project.yml": "name: shop\n",
        "models/dim_customers_v1.sql": "select 1 as id, 'a' as name",
        "models/dim_customers.sql": "select 1 as id, 'a' as name, 'x' as email",
        "models/legacy_customers.sql": "select 1 as id",
        "models/report.sql":
            "select * from {{ ref('dim_customers') }} join {{ ref('dim_customers', v=1) }} using (id) join {{ ref('dim_customers', version=3) }} using (id)",
        "models/schema.yml": """
        version: 2
        models:
          - name: dim_customers
            latest_version: 2
            description: customers
            columns:
              - name: id
                data_tests: [not_null]
              - name: email
            versions:
              - v: 1
                columns:
                  - include: all
                    exclude: [email]
              - v: 2
              - v: 3
                defined_in: legacy_customers
                description: the old one
                config:
                  materialized: table
        """,
    ]

    func compile(_ files: [String: String] = Self.files) throws -> CompiledProject {
        try ProjectLoader.compile(
            fs: InMemoryFileSystem(files),
            options: CompileOptions(target: TargetInfo(schema: "analytics"), environment: [:]))
    }

    @Test func eachVersionIsANodeNamedAsDbtNamesIt() throws {
        let manifest = try compile().manifest
        let v1 = try #require(manifest.nodes["model.shop.dim_customers.v1"])
        let v2 = try #require(manifest.nodes["model.shop.dim_customers.v2"])
        let v3 = try #require(manifest.nodes["model.shop.dim_customers.v3"])
        #expect(
            manifest.nodes["model.shop.dim_customers_v1"] == nil && manifest.nodes["model.shop.legacy_customers"] == nil
        )
        #expect(v1.name == "dim_customers" && v1.version == .int(1) && v1.latestVersion == .int(2))
        #expect(v1.fqn == ["shop", "dim_customers", "v1"])
        #expect(v1.originalFilePath == "models/dim_customers_v1.sql")
        #expect(v2.originalFilePath == "models/dim_customers.sql")  // the latest may live in <name>.sql
        #expect(v3.originalFilePath == "models/legacy_customers.sql")
        #expect(v1.relationName == "\"analytics\".\"dim_customers_v1\"")
        #expect(v2.relationName == "\"analytics\".\"dim_customers_v2\"")
        #expect(v1.columns.keys.sorted() == ["id"])
        #expect(v2.columns.keys.sorted() == ["email", "id"])
        #expect(v3.description == "the old one" && v2.description == "customers")
        #expect(v3.materialization == .table)
        let tests = manifest.nodes.values.filter { $0.resourceType == .test }.map(\.name).sorted()
        #expect(
            tests == ["not_null_dim_customers_v1_id", "not_null_dim_customers_v2_id", "not_null_dim_customers_v3_id"])
    }

    @Test func refPicksTheLatestOrThePinnedVersion() throws {
        let manifest = try compile().manifest
        let report = try #require(manifest.nodes["model.shop.report"])
        #expect(
            Set(report.dependsOn.nodes) == [
                "model.shop.dim_customers.v1", "model.shop.dim_customers.v2", "model.shop.dim_customers.v3",
            ])
        #expect(
            report.compiledCode
                == "select * from \"analytics\".\"dim_customers_v2\" join \"analytics\".\"dim_customers_v1\" using (id) join \"analytics\".\"dim_customers_v3\" using (id)"
        )
    }

    @Test func theManifestCarriesVersionAndLatestVersion() throws {
        let manifest = try compile().manifest
        let data = try ManifestJSONWriter.encode(manifest)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let node = try #require((json["nodes"] as? [String: Any])?["model.shop.dim_customers.v1"] as? [String: Any])
        #expect(node["version"] as? Int == 1)
        #expect(node["latest_version"] as? Int == 2)
    }

    @Test func anUnknownVersionIsAnErrorAtTheRef() {
        var files = Self.files
        files["models/report.sql"] = "select * from {{ ref('dim_customers', v=9) }}"
        do {
            _ = try compile(files)
            Issue.record("expected an error")
        } catch let error as DiagnosticsError {
            let d = error.diagnostics.first { $0.id == "ref.unknown-version" }
            #expect(d?.message == "model 'dim_customers' has no version 9 (versions: 1, 2, 3)")
            #expect(d?.location?.file == "models/report.sql")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func latestVersionMustBeOneOfTheVersions() {
        var files = Self.files
        files["models/schema.yml"] =
            "version: 2\nmodels:\n  - name: dim_customers\n    latest_version: 5\n    versions:\n      - v: 1\n"
        #expect(throws: DiagnosticsError.self) { try compile(files) }
    }
}
