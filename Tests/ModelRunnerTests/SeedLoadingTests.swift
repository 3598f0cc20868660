import Foundation
import ModelCompiler
import TestSupport
import Testing

@testable import ModelRunner

/// Seeds loaded into the real PostgreSQL of the test harness.
@Suite struct SeedLoadingTests {
    /// A project folder with one seed file.
    static func project(_ contents: String, name: String = "hr") throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sqlt-seed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("seeds"), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: root.appendingPathComponent("seeds/\(name).csv"))
        return root
    }

    static func write(_ contents: String, to root: URL, name: String = "hr") throws {
        try Data(contents.utf8).write(to: root.appendingPathComponent("seeds/\(name).csv"))
    }

    static func loader(
        _ root: URL, schema: String, name: String = "hr", configuration: SeedConfiguration = .init()
    ) -> SeedLoader {
        SeedLoader(
            file: root.appendingPathComponent("seeds/\(name).csv"), displayPath: "seeds/\(name).csv", schema: schema,
            alias: name, configuration: configuration)
    }

    static func columnTypes(_ session: any DatabaseSession, _ schema: String, _ table: String) throws -> [String] {
        try session.execute(
            "select data_type from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position",
            [schema, table]
        ).rows.map { $0[0] ?? "" }
    }

    static func leftovers(_ session: any DatabaseSession, _ schema: String) throws -> [String] {
        try session.execute(
            "select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and (c.relname like '%sqlt_tmp%' or c.relname like '%sqlt_backup%')",
            [schema]
        ).rows.map { $0[0] ?? "" }
    }

    @Test func infersTypesAndTreatsEmptyCellsAsNull() async throws {
        let root = try Self.project(
            "\u{FEFF}id,name,active,born,salary,updated_at,big\r\n"
                + "1,\"Doe, Jane\",true,1990-01-02,42000.50,2024-01-05 10:20:30,3000000000\r\n"
                + "2,\"multi\r\nline\",FALSE,,41000,2024-01-05T11:00:00,1\r\n"
                + "3,\"\",,1985-12-31,,,2\r\n")
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            let result = try Self.loader(root, schema: schema).load(session: connection, runId: "run1")
            #expect(result.rows == 3)
            #expect(
                try Self.columnTypes(connection, schema, "hr") == [
                    // dbt-postgres types decimals float8, and a column mixing `2024-01-05 10:20:30` and
                    // `2024-01-05T11:00:00` text (agate's DateTime and ISO forms each reject the other)
                    "integer", "text", "boolean", "date", "double precision", "text", "bigint",
                ])
            let rows = try connection.execute(
                "select name, active::text, born::text, salary::text from \(qualifiedName(schema, "hr")) order by id"
            ).rows
            #expect(
                rows == [
                    ["Doe, Jane", "true", "1990-01-02", "42000.5"], ["multi\r\nline", "false", nil, "41000"],
                    [nil, nil, "1985-12-31", nil],
                ])
            #expect(try Self.leftovers(connection, schema).isEmpty)
        }
    }

    @Test func columnTypesOverrideAndSemicolonDelimiter() async throws {
        let root = try Self.project("code;amount\n007;12\n010;13\n")
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            let configuration = SeedConfiguration(
                columnTypes: ["code": "varchar(5)", "amount": "bigint"], delimiter: UInt8(ascii: ";"))
            _ = try Self.loader(root, schema: schema, configuration: configuration).load(
                session: connection, runId: "r")
            #expect(try Self.columnTypes(connection, schema, "hr") == ["character varying", "bigint"])
            #expect(
                try connection.execute("select string_agg(code, ',' order by code) from \(qualifiedName(schema, "hr"))")
                    .scalar == "007,010")
        }
    }

    @Test func malformedRowNamesTheFileLineAndKeepsTheOldTable() async throws {
        let root = try Self.project("id,name\n1,a\n2,b\n")
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            _ = try Self.loader(root, schema: schema).load(session: connection, runId: "r1")
            try Self.write("id,name\n1,a\n2,b,extra\n", to: root)
            let error = #expect(throws: SeedLoadError.self) {
                try Self.loader(root, schema: schema).load(session: connection, runId: "r2")
            }
            let count = try connection.execute("select count(*) from \(qualifiedName(schema, "hr"))").scalar
            let leftovers = try Self.leftovers(connection, schema)
            #expect(error?.description == "seeds/hr.csv:3:1: error: expected 2 fields, found 3")
            #expect(count == "2")
            #expect(leftovers.isEmpty)
        }
    }

    @Test func valueRejectedByTheServerIsMappedToItsFileLine() async throws {
        let root = try Self.project("id,note,day\n1,\"two\nlines\",2024-01-01\n2,x,2024-02-30\n")
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            let configuration = SeedConfiguration(columnTypes: ["day": "date"])
            let error = #expect(throws: SeedLoadError.self) {
                try Self.loader(root, schema: schema, configuration: configuration).load(
                    session: connection, runId: "r")
            }
            #expect(error?.diagnostic.location == SourceLocation(file: "seeds/hr.csv", line: 4, column: 1))
            #expect(error?.description.contains("date/time field value out of range") == true)
            let table = try connection.execute("select to_regclass($1)::text", [schema + ".hr"]).scalar
            let leftovers = try Self.leftovers(connection, schema)
            #expect(table == nil)
            #expect(leftovers.isEmpty)
        }
    }

    @Test func rejectedRecordIsFoundWithoutTheServerContext() async throws {
        var text = "id,amount\n"
        for i in 1...1000 { text += i == 777 ? "\(i),40000\n" : "\(i),\(i)\n" }
        let root = try Self.project(text)
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection = WithoutContext(pg)
            let configuration = SeedConfiguration(columnTypes: ["amount": "smallint"])
            // 40000 passes sqlt's own check of integer types; the server rejects it for smallint.
            let error = #expect(throws: SeedLoadError.self) {
                try Self.loader(root, schema: schema, configuration: configuration).load(
                    session: connection, runId: "r")
            }
            let leftovers = try Self.leftovers(connection, schema)
            #expect(error?.diagnostic.location == SourceLocation(file: "seeds/hr.csv", line: 778, column: 1))
            #expect(leftovers.isEmpty)
        }
    }

    @Test func loadsAHundredThousandRows() async throws {
        var text = "id,name,amount,day\n"
        text.reserveCapacity(4_000_000)
        for i in 1...100_000 {
            text += "\(i),name \(i),\(i % 997).25,2024-01-\(i % 28 + 1 < 10 ? "0" : "")\(i % 28 + 1)\n"
        }
        let root = try Self.project(text)
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            let result = try Self.loader(root, schema: schema).load(session: connection, runId: "big")
            #expect(result.rows == 100_000)
            #expect(
                try connection.execute("select count(*), sum(id) from \(qualifiedName(schema, "hr"))").rows == [
                    ["100000", "5000050000"]
                ])
            #expect(try Self.columnTypes(connection, schema, "hr") == ["integer", "text", "double precision", "date"])
        }
    }

    @Test func reloadReplacesTheTableInOneSwap() async throws {
        let root = try Self.project("id,name\n1,a\n2,b\n")
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            _ = try Self.loader(root, schema: schema).load(session: connection, runId: "r1")
            let before = try connection.execute(
                "select oid::text from pg_class where oid = to_regclass($1)", [schema + ".hr"]
            ).scalar
            try Self.write("id,label,score\n10,x,1.5\n", to: root)
            let result = try Self.loader(root, schema: schema).load(session: connection, runId: "r2")
            #expect(result.rows == 1)
            let after = try connection.execute(
                "select oid::text from pg_class where oid = to_regclass($1)", [schema + ".hr"]
            ).scalar
            #expect(before != nil && after != nil && before != after)
            #expect(try Self.columnTypes(connection, schema, "hr") == ["integer", "text", "double precision"])
            #expect(try connection.execute("select label from \(qualifiedName(schema, "hr"))").scalar == "x")
            #expect(try Self.leftovers(connection, schema).isEmpty)
        }
    }

    @Test func reloadWithTheSameColumnsKeepsDependentViews() async throws {
        let root = try Self.project("id,name\n1,a\n2,b\n")
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            _ = try Self.loader(root, schema: schema).load(session: connection, runId: "r1")
            try connection.executeScript(
                "create view \(qualifiedName(schema, "hr_view")) as select * from \(qualifiedName(schema, "hr"))")
            try Self.write("id,name\n1,a\n2,b\n3,c\n", to: root)
            let result = try Self.loader(root, schema: schema).load(session: connection, runId: "r2")
            #expect(result.rows == 3)
            #expect(try connection.execute("select count(*) from \(qualifiedName(schema, "hr_view"))").scalar == "3")
            // A malformed reload keeps the old rows, through the view too.
            try Self.write("id,name\n1,a\n2\n", to: root)
            #expect(throws: SeedLoadError.self) {
                try Self.loader(root, schema: schema).load(session: connection, runId: "r3")
            }
            #expect(try connection.execute("select count(*) from \(qualifiedName(schema, "hr_view"))").scalar == "3")
            #expect(try Self.leftovers(connection, schema).isEmpty)
        }
    }

    @Test func executorLoadsASeedNode() async throws {
        let root = try Self.project("Id,Name\n1,a\n2,b\n3,c\n")
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            let node = ManifestNode(
                uniqueId: "seed.p.hr", resourceType: .seed, name: "hr", packageName: "p", path: "hr.csv",
                originalFilePath: "seeds/hr.csv", fqn: ["p", "hr"], schema: schema, alias: "hr", rawCode: "",
                config: [
                    "quote_columns": false, "persist_docs": ["relation": true],
                    "post_hook": [.string("analyze \(qualifiedName(schema, "hr"))")],
                ],
                description: "HR export")
            let context = ExecutionContext(
                session: connection,
                manifest: Manifest(
                    metadata: ManifestMetadata(sqltVersion: "0", generatedAt: "", invocationId: "inv", projectName: "p")
                ),
                renderer: FixedRenderer([:]),
                options: RunOptions(
                    targetPath: root.appendingPathComponent("target"), invocationId: "inv-1", targetSchema: schema),
                catalog: RelationListing(), projectRoot: root, threadId: "Thread-1")
            let result = SeedExecutor().execute(node, in: context)
            #expect(result.status == .success)
            #expect(result.message == "INSERT 3")
            #expect(result.rowsAffected == 3)
            let names = try connection.execute(
                "select column_name::text from information_schema.columns where table_schema = $1 and table_name = 'hr' order by ordinal_position",
                [schema])
            let comment = try connection.execute(
                "select obj_description(to_regclass($1), 'pg_class')", [schema + ".hr"])
            #expect(names.rows == [["id"], ["name"]])
            #expect(comment.scalar == "HR export")
        }
    }
}

extension SeedLoadingTests {
    @Test func executorReportsAMalformedFileWithItsLineAndSkipsDisabledSeeds() async throws {
        let root = try Self.project("a,b\n1,2\n3\n")
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            func node(_ config: NodeConfig) -> ManifestNode {
                ManifestNode(
                    uniqueId: "seed.p.hr", resourceType: .seed, name: "hr", packageName: "p", path: "hr.csv",
                    originalFilePath: "seeds/hr.csv", fqn: ["p", "hr"], schema: schema, alias: "hr", rawCode: "",
                    config: config)
            }
            let context = ExecutionContext(
                session: connection,
                manifest: Manifest(
                    metadata: ManifestMetadata(sqltVersion: "0", generatedAt: "", invocationId: "inv", projectName: "p")
                ),
                renderer: FixedRenderer([:]),
                options: RunOptions(targetPath: root, invocationId: "inv-2", targetSchema: schema),
                catalog: RelationListing(), projectRoot: root, threadId: "Thread-1")
            let failed = SeedExecutor().execute(node([:]), in: context)
            #expect(failed.status == .error)
            #expect(failed.message == "seeds/hr.csv:3:1: error: expected 2 fields, found 1")
            #expect(SeedExecutor().execute(node(["enabled": false]), in: context).status == .skipped)
            let table = try connection.execute("select to_regclass($1)::text", [schema + ".hr"]).scalar
            #expect(table == nil)
        }
    }
}

/// Renders each node as fixed SQL (the compiled test SQL, as the real renderer would give it).
struct FixedRenderer: NodeRenderer {
    let sql: [String: String]
    init(_ sql: [String: String]) { self.sql = sql }
    func render(
        _ uniqueId: String, options: RenderOptions, adapter: (any RuntimeAdapter)?
    ) throws(DiagnosticsError) -> String {
        guard let text = sql[uniqueId] else {
            throw DiagnosticsError([Diagnostic.error("render.unknown", "no SQL for '\(uniqueId)'")])
        }
        return text
    }
}

/// The harness connection with the CONTEXT field of errors removed, as some drivers report them.
final class WithoutContext: DatabaseSession {
    let base: any DatabaseSession
    init(_ base: any DatabaseSession) { self.base = base }
    func execute(_ sql: String, _ parameters: [String?]) throws(DatabaseError) -> QueryResult {
        do { return try base.execute(sql, parameters) } catch { throw strip(error) }
    }
    func executeScript(_ sql: String) throws(DatabaseError) -> QueryResult {
        do { return try base.executeScript(sql) } catch { throw strip(error) }
    }
    func copyIn(_ copySQL: String, chunks: () throws -> [UInt8]?) throws -> Int {
        do { return try base.copyIn(copySQL, chunks: chunks) } catch let error as DatabaseError { throw strip(error) }
    }
    func cancel() { base.cancel() }
    private func strip(_ error: DatabaseError) -> DatabaseError {
        var copy = error
        copy.context = nil
        return copy
    }
}
