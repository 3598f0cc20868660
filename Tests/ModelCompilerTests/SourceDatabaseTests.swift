import Testing

@testable import ModelCompiler

/// A source's `database:`: kept when it is the target's database, an error when it is another one
/// (PostgreSQL cannot read across databases), never dropped in silence.
@Suite struct SourceDatabaseTests {
    func compile(database: String) throws -> CompiledProject {
        let files = [
            "dbt_project.yml": "name: shop\n",
            "models/schema.yml": """
            version: 2
            sources:
              - name: raw
                database: \(database)
                tables:
                  - name: orders
            """,
            "models/m.sql": "select * from {{ source('raw', 'orders') }}",
        ]
        return try ProjectLoader.compile(
            fs: InMemoryFileSystem(files),
            options: CompileOptions(target: TargetInfo(schema: "analytics", dbname: "warehouse"), environment: [:]))
    }

    @Test func theConnectedDatabaseIsKept() throws {
        let project = try compile(database: "warehouse")
        #expect(project.manifest.sources["source.shop.raw.orders"]?.database == "warehouse")
        #expect(project.manifest.nodes["model.shop.m"]?.compiledCode == "select * from \"raw\".\"orders\"")
    }

    @Test func anotherDatabaseIsAnErrorAtTheSource() {
        do {
            _ = try compile(database: "legacy")
            Issue.record("expected an error")
        } catch let error as DiagnosticsError {
            let d = error.diagnostics.first { $0.id == "source.other-database" }
            #expect(
                d?.message
                    == "source 'raw' is in database 'legacy', but the target is connected to 'warehouse'; PostgreSQL cannot read another database"
            )
            #expect(d?.location?.file == "models/schema.yml")
            #expect(d?.location?.line == 3)
        } catch {
            Issue.record("\(error)")
        }
    }
}
