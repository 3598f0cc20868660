import Foundation
import ModelCompiler
import TestSupport
import Testing

@testable import ModelRunner

/// RGPD scope, export, forget and retention on a small hand-made project, on a real PostgreSQL.
///
/// ```
/// seed people ──> people_view (view), people_mv (materialized view)
/// source crm.contacts (outside sqlt's control)
/// model orders (table, unique_key order_id, retention 7 years on created_at)
///   ├─> order_notes (table, no customer_id: linked by order_id)
///   └─> per_region (table, aggregate: no row of a person)
/// ```
@Suite(.serialized) struct RGPDTests {
    static func node(
        _ type: ResourceType, _ name: String, schema: String, materialized: String, dependsOn: [String] = [],
        config: NodeConfig = [:]
    ) -> ManifestNode {
        var config = config
        config["materialized"] = .string(materialized)
        let id = "\(type.rawValue).p.\(name)"
        return ManifestNode(
            uniqueId: id, resourceType: type, name: name, packageName: "p", path: "\(name).sql",
            originalFilePath: "models/\(name).sql",
            fqn: ["p", name], schema: schema, alias: name, relationName: qualifiedName(schema, name), rawCode: "",
            config: config, dependsOn: DependsOn(nodes: dependsOn))
    }

    static func manifest(schema: String) -> Manifest {
        let nodes = [
            node(.seed, "people", schema: schema, materialized: "seed"),
            node(.model, "people_view", schema: schema, materialized: "view", dependsOn: ["seed.p.people"]),
            node(.model, "people_mv", schema: schema, materialized: "materialized_view", dependsOn: ["seed.p.people"]),
            node(
                .model, "orders", schema: schema, materialized: "table",
                config: [
                    "unique_key": "order_id", "meta": ["retention": ["field": "created_at", "keep": "7 years"]],
                ]),
            node(.model, "order_notes", schema: schema, materialized: "table", dependsOn: ["model.p.orders"]),
            node(.model, "per_region", schema: schema, materialized: "table", dependsOn: ["model.p.orders"]),
        ]
        let source = SourceDefinition(
            uniqueId: "source.p.crm.contacts", packageName: "p", sourceName: "crm", name: "contacts",
            identifier: "contacts",
            schema: schema, relationName: qualifiedName(schema, "contacts"), originalFilePath: "models/sources.yml",
            fqn: ["p", "crm", "contacts"])
        var parents: [String: [String]] = [:]
        var children: [String: [String]] = [:]
        for node in nodes {
            parents[node.uniqueId] = node.dependsOn.nodes
            for parent in node.dependsOn.nodes { children[parent, default: []].append(node.uniqueId) }
        }
        return Manifest(
            metadata: ManifestMetadata(sqltVersion: "test", generatedAt: "", invocationId: "", projectName: "p"),
            nodes: Dictionary(uniqueKeysWithValues: nodes.map { ($0.uniqueId, $0) }),
            sources: [source.uniqueId: source],
            parentMap: parents, childMap: children)
    }

    static let setup = """
        create table people (customer_id integer, name text);
        insert into people values (1, 'Ada'), (2, 'Alan');
        create view people_view as select customer_id, upper(name) as name from people;
        create materialized view people_mv as select customer_id, name from people;
        create table orders (order_id bigint, customer_id integer, amount numeric(8,2), paid boolean, created_at timestamp);
        insert into orders values (10, 1, 12.50, true, now() - interval '1 day'), (11, 1, 3.00, false, timestamp '2001-05-01'),
            (20, 2, 7.25, true, now() - interval '2 days');
        create table order_notes (order_id bigint, note text);
        insert into order_notes values (10, 'gift'), (11, 'late'), (20, 'ok');
        create table per_region (region text, n integer);
        insert into per_region values ('south', 3);
        create table contacts (customer_id integer, email text);
        insert into contacts values (1, 'ada@example.org');
        """

    /// Sets the tables up and resolves the scope of `customer_id=1`.
    static func prepare(
        _ connection: PostgresConnection, _ schema: String
    ) throws -> (Manifest, DependencyGraph, RelationListing, RGPDScope) {
        try connection.executeScript(setup)
        let manifest = manifest(schema: schema)
        let graph = try DependencyGraph(manifest: manifest)
        let catalog = try RelationListingReader.read(schemas: [schema], session: connection)
        let scope = RGPDScope.resolve(
            subjects: [RGPDSubject(column: "customer_id", value: "1")], manifest: manifest, graph: graph,
            catalog: catalog)
        return (manifest, graph, catalog, scope)
    }

    @Test(arguments: [
        ("id_salarie=12345", "id_salarie", "12345"),
        (" id_salarie = 12345 ", "id_salarie", "12345"),
        ("email=a=b@example.org", "email", "a=b@example.org"),
    ])
    func subjectParses(text: String, column: String, value: String) throws {
        let subject = try RGPDSubject.parse(text)
        #expect(subject == RGPDSubject(column: column, value: value))
    }

    @Test(arguments: ["id_salarie", "=12", "id_salarie=", ""])
    func invalidSubjectIsRejected(text: String) {
        #expect(throws: Diagnostic.self) { try RGPDSubject.parse(text) }
    }

    @Test func scopeFindsHoldersLinksAndAggregates() async throws {
        try await TestDatabase.withSchema { connection, schema, _ in
            let (_, _, _, scope) = try Self.prepare(connection, schema)
            let holding = Dictionary(uniqueKeysWithValues: scope.holding.map { ($0.uniqueId, $0) })
            #expect(
                Set(holding.keys) == [
                    "seed.p.people", "model.p.people_view", "model.p.people_mv", "model.p.orders",
                    "model.p.order_notes", "source.p.crm.contacts",
                ])
            #expect(holding["seed.p.people"]?.control == .table)
            #expect(holding["model.p.people_view"]?.control == .view)
            #expect(holding["model.p.people_mv"]?.control == .materializedView)
            #expect(holding["source.p.crm.contacts"]?.control == .source)
            #expect(
                holding["model.p.order_notes"]?.link
                    == RGPDRelation.Link(parentId: "model.p.orders", column: "order_id"))
            #expect(scope.withoutKey.map(\.uniqueId) == ["model.p.per_region"])
            let order = scope.holding.map(\.uniqueId)
            #expect(order.firstIndex(of: "model.p.orders")! < order.firstIndex(of: "model.p.order_notes")!)
        }
    }

    @Test func exportHasEveryRowTyped() async throws {
        try await TestDatabase.withSchema { connection, schema, _ in
            let (_, _, _, scope) = try Self.prepare(connection, schema)
            let rows = try RGPDExport.collect(scope, session: connection)
            let counts = Dictionary(uniqueKeysWithValues: rows.map { ($0.relation.uniqueId, $0.count) })
            #expect(
                counts == [
                    "seed.p.people": 1, "model.p.people_view": 1, "model.p.people_mv": 1, "model.p.orders": 2,
                    "model.p.order_notes": 2, "source.p.crm.contacts": 1,
                ])
            let document = RGPDExport.document(scope, rows: rows)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any])
            let relations = try #require(object["relations"] as? [[String: Any]])
            let orders = try #require(relations.first { $0["unique_id"] as? String == "model.p.orders" })
            let first = try #require((orders["rows"] as? [[String: Any]])?.first { ($0["order_id"] as? Int) == 10 })
            #expect(first["amount"] as? Double == 12.5)
            #expect(first["paid"] as? Bool == true)
            #expect(first["customer_id"] as? Int == 1)
            let without = try #require(object["without_rows"] as? [[String: Any]])
            #expect(without.map { $0["unique_id"] as? String } == ["model.p.per_region"])
        }
    }

    @Test func forgetDeletesEverywhereRefreshesAndRecords() async throws {
        try await TestDatabase.withSchema { connection, schema, _ in
            let (_, _, _, scope) = try Self.prepare(connection, schema)
            let dry = try RGPDForget.run(scope, session: connection, dryRun: true, ledger: nil)
            #expect(dry.outcomes.first { $0.relation.uniqueId == "model.p.order_notes" }?.rowsBefore == 2)
            #expect(try connection.execute("select count(*) from orders where customer_id = 1").scalar == "2")

            let ledger = RGPDLedger(targetSchema: schema, secret: "test-secret")
            let report = try RGPDForget.run(scope, session: connection, dryRun: false, ledger: ledger)
            #expect(report.rowsDeleted == 5)
            for table in ["people", "people_view", "people_mv", "orders"] {
                #expect(
                    try connection.execute("select count(*) from \(table) where customer_id = 1").scalar == "0",
                    "\(table)")
            }
            #expect(
                try connection.execute("select string_agg(note, ',' order by note) from order_notes").scalar == "ok")
            #expect(try connection.execute("select count(*) from people").scalar == "1")
            #expect(report.sourcesHolding.map(\.relation.uniqueId) == ["source.p.crm.contacts"])
            #expect(try connection.execute("select count(*) from contacts").scalar == "1")
            #expect(try ledger.isForgotten(scope.subjects, session: connection))
            #expect(try !ledger.isForgotten([RGPDSubject(column: "customer_id", value: "2")], session: connection))
            #expect(
                try !RGPDLedger(targetSchema: schema, secret: "other").isForgotten(scope.subjects, session: connection))
            #expect(
                try connection.execute(
                    "select count(*) from \(ledger.qualified) where subject_hash <> '1' and length(subject_hash) = 64"
                ).scalar == "1")
        }
    }

    @Test func reapplyDeletesForgottenSubjectsReloadedBySeeds() async throws {
        try await TestDatabase.withSchema { connection, schema, _ in
            let (manifest, graph, catalog, scope) = try Self.prepare(connection, schema)
            let ledger = RGPDLedger(targetSchema: schema, secret: "test-secret")
            #expect(
                try RGPDReapply.run(
                    ledger: ledger, manifest: manifest, graph: graph, catalog: catalog, session: connection,
                    dryRun: false
                ).isEmpty)
            // The key as typed by a user ('01') is recorded in its canonical form (1).
            let padded = RGPDScope.resolve(
                subjects: [RGPDSubject(column: "customer_id", value: "01")], manifest: manifest, graph: graph,
                catalog: catalog)
            _ = try RGPDForget.run(padded, session: connection, dryRun: false, ledger: ledger)
            #expect(try ledger.isForgotten(scope.subjects, session: connection))
            // A seed reload brings the person back.
            try connection.execute("insert into people values (1, 'Ada'), (3, 'Grace')")
            let dry = try RGPDReapply.run(
                ledger: ledger, manifest: manifest, graph: graph, catalog: catalog, session: connection, dryRun: true)
            #expect(dry.first { $0.relation.uniqueId == "seed.p.people" }?.rows == 1)
            #expect(try connection.execute("select count(*) from people").scalar == "3")
            let applied = try RGPDReapply.run(
                ledger: ledger, manifest: manifest, graph: graph, catalog: catalog, session: connection, dryRun: false)
            #expect(applied.first { $0.relation.uniqueId == "seed.p.people" }?.rows == 1)
            #expect(!applied.contains { $0.relation.uniqueId == "source.p.crm.contacts" })
            #expect(
                try connection.execute("select string_agg(customer_id::text, ',' order by customer_id) from people")
                    .scalar == "2,3")
            #expect(try connection.execute("select count(*) from people_mv where customer_id = 1").scalar == "0")
        }
    }

    @Test(arguments: [("table", [String]()), ("incremental", ["model.p.order_notes"])])
    func incrementalDescendantsWithoutRetentionAreNamed(materialized: String, expected: [String]) throws {
        var manifest = Self.manifest(schema: "s")
        manifest.nodes["model.p.order_notes"]?.config["materialized"] = .string(materialized)
        let graph = try DependencyGraph(manifest: manifest)
        #expect(try RGPDRetention.unprotectedDescendants(manifest: manifest, graph: graph) == expected)
    }

    @Test func invalidRetentionIsADiagnostic() {
        var manifest = Self.manifest(schema: "s")
        manifest.nodes["model.p.order_notes"]?.meta["retention"] = ["keep": "7 years"]
        #expect(throws: Diagnostic.self) { try RGPDRetention.rules(in: manifest) }
    }

    @Test func lineageFindsRenamedKeys() async throws {
        try await TestDatabase.withSchema { connection, schema, _ in
            try connection.executeScript(
                Self.setup
                    + "; create table staff (employee_id integer, team text); insert into staff values (1, 'a'), (2, 'b');"
            )
            var manifest = Self.manifest(schema: schema)
            manifest.nodes["seed.p.people"]?.columns = [
                "customer_id": ColumnInfo(name: "customer_id", meta: ["pii": "indirect"])
            ]
            manifest.nodes["model.p.staff"] = Self.node(
                .model, "staff", schema: schema, materialized: "table", dependsOn: ["seed.p.people"])
            manifest.parentMap["model.p.staff"] = ["seed.p.people"]
            manifest.childMap["seed.p.people", default: []].append("model.p.staff")
            let graph = try DependencyGraph(manifest: manifest)
            let input = ColumnInputReference(
                node: "seed.p.people", relation: "people", column: "customer_id", type: "DIRECT", subtype: "IDENTITY",
                masking: false)
            let lineage = ProjectLineage(
                generatedAt: "",
                nodes: [
                    "model.p.staff": NodeLineage(
                        uniqueId: "model.p.staff",
                        columns: [
                            ColumnLineageEntry(
                                name: "employee_id", privacy: "indirect", piiSources: [], inputs: [input]),
                            ColumnLineageEntry(name: "team", privacy: "none", piiSources: [], inputs: []),
                        ], issues: [])
                ])
            let subjects = [RGPDSubject(column: "customer_id", value: "1")]
            let keys = RGPDKeyLineage.keyColumns(lineage, manifest: manifest, graph: graph, subjects: subjects)
            #expect(keys["model.p.staff"] == ["customer_id": "employee_id"])
            let catalog = try RelationListingReader.read(schemas: [schema], session: connection)
            let scope = RGPDScope.resolve(
                subjects: subjects, manifest: manifest, graph: graph, catalog: catalog, keyColumns: keys)
            #expect(
                scope.holding.first { $0.uniqueId == "model.p.staff" }?.keyColumns == ["customer_id": "employee_id"])
            _ = try RGPDForget.run(scope, session: connection, dryRun: false, ledger: nil)
            #expect(try connection.execute("select string_agg(employee_id::text, ',') from staff").scalar == "2")
        }
    }

    /// A copy an interrupted run left (a backup or a temporary relation of a relation in scope) is
    /// dropped by the erasure, so the forgotten person does not survive in it.
    @Test func forgetDropsLeftoversOfInterruptedRuns() async throws {
        try await TestDatabase.withSchema { connection, schema, _ in
            let (_, _, _, scope) = try Self.prepare(connection, schema)
            try connection.execute("create table people__sqlt_backup_0a1b2c3d as select * from people")
            try connection.execute("create table orders__sqlt_tmp_0a1b2c3d as select * from orders")
            _ = try RGPDForget.run(scope, session: connection, dryRun: false, ledger: nil)
            #expect(
                try connection.execute(
                    "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = '\(schema)' and relname like '%__sqlt_%'"
                ).scalar == "0")
        }
    }

    @Test func forgetRollsBackWhenRowsRemain() async throws {
        try await TestDatabase.withSchema { connection, schema, _ in
            let (_, _, _, scope) = try Self.prepare(connection, schema)
            try connection.execute("create rule keep_orders as on delete to orders do instead nothing")
            #expect(throws: DatabaseError.self) {
                try RGPDForget.run(
                    scope, session: connection, dryRun: false, ledger: RGPDLedger(targetSchema: schema, secret: "s"))
            }
            #expect(try connection.execute("select count(*) from people where customer_id = 1").scalar == "1")
            #expect(try connection.execute("select count(*) from order_notes").scalar == "3")
            #expect(
                try connection.execute(
                    "select to_regclass($1) is null", [RGPDLedger(targetSchema: schema, secret: "s").qualified]
                ).scalar == "t")
        }
    }

    @Test func retentionDeletesExpiredRowsAndDryRunCounts() async throws {
        try await TestDatabase.withSchema { connection, schema, _ in
            let (manifest, graph, catalog, _) = try Self.prepare(connection, schema)
            #expect(
                try RGPDRetention.rules(in: manifest) == [
                    RGPDRetention.Rule(uniqueId: "model.p.orders", field: "created_at", keep: "7 years")
                ])
            let dry = try RGPDRetention.run(
                manifest: manifest, graph: graph, catalog: catalog, session: connection, dryRun: true)
            #expect(dry.map(\.expiredRows) == [1])
            #expect(try connection.execute("select count(*) from orders").scalar == "3")
            let applied = try RGPDRetention.run(
                manifest: manifest, graph: graph, catalog: catalog, session: connection, dryRun: false)
            #expect(applied.map(\.action) == ["deleted"])
            #expect(
                try connection.execute("select string_agg(order_id::text, ',' order by order_id) from orders").scalar
                    == "10,20")
        }
    }
}
