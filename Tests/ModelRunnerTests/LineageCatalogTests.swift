import Foundation
import ModelCompiler
import Testing

@testable import ModelRunner

/// Database columns handed to column lineage, and the RGPD scope of a compiled project, without
/// a database: the catalog is written by hand.
@Suite struct LineageCatalogTests {
    static let files: [String: String] = [
        "sqlt_project.yml": "name: p\nprofile: p\nmodels:\n  p:\n    +materialized: table\n",
        "seeds/people.csv": "customer_id,name\n1,Ann\n",
        "models/orders.sql": "select customer_id, 1 as amount from {{ ref('people') }}",
    ]

    static let catalog = RelationListing(relations: [
        "analytics.people": .init(
            schema: "analytics", name: "people", kind: .table, columns: [("customer_id", "integer"), ("name", "text")]),
        "analytics.orders": .init(
            schema: "analytics", name: "orders", kind: .table,
            columns: [("customer_id", "integer"), ("amount", "integer")]),
        "raw.events": .init(schema: "raw", name: "events", kind: .view, columns: [("id", "bigint")]),
    ])

    @Test func catalogColumnsByQualifiedAndDefaultSchemaName() {
        let columns = Self.catalog.lineageColumns(defaultSchema: "analytics")
        #expect(columns[RelationRef(schema: "analytics", name: "people")] == ["customer_id", "name"])
        #expect(columns[RelationRef(name: "people")] == ["customer_id", "name"])
        #expect(columns[RelationRef(schema: "raw", name: "events")] == ["id"])
        #expect(columns[RelationRef(name: "events")] == nil, "only the default schema answers bare names")
    }

    @Test func rgpdScopeOfACompiledProject() throws {
        let fs = InMemoryFileSystem(Self.files)
        let compiled = try ProjectLoader.compile(
            fs: fs, options: CompileOptions(target: TargetInfo(schema: "analytics"), environment: [:]))
        let scope = try RGPDScope.resolve(
            subjects: [RGPDSubject(column: "customer_id", value: "1")], compiled: compiled, catalog: Self.catalog,
            fileSystem: fs)
        #expect(Set(scope.holding.map(\.uniqueId)) == ["seed.p.people", "model.p.orders"])
        do {
            _ = try RGPDScope.resolve(
                subjects: [RGPDSubject(column: "client_id", value: "1")], compiled: compiled, catalog: Self.catalog,
                fileSystem: fs)
            Issue.record("a column no relation holds must fail")
        } catch {
            #expect(error.message.contains("'client_id'"))
        }
    }
}
