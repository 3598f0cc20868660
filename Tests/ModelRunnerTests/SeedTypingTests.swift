import Foundation
import ModelCompiler
import TestSupport
import Testing

@testable import ModelRunner

/// Seeds typed and loaded as dbt-postgres 1.11 types and loads them.
@Suite struct SeedTypingTests {
    /// One single-column seed `v`: its data lines as written in the file, and what dbt gives.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var lines: [String]
        var type: String
        var values: [String?]
        var description: String { name }
    }

    /// The expected types and values are dbt's: each case was loaded with `dbt seed` (dbt-core
    /// 1.11.16, dbt-postgres 1.11.0, agate 1.9.1, from /work/dbt-venv) into PostgreSQL 15 as a
    /// one-column seed, then read with `format_type` and `v::text` (NULL as nil). Two cases are
    /// left out because dbt fails to load them: `3000000000` (dbt types the column `integer`;
    /// sqlt makes it `bigint`, see `SeedInferenceTests`) and `NaN` among integers. No case ends
    /// in an empty cell: dbt loads a one-column seed's trailing blank lines as NULL rows, sqlt
    /// drops them (a deliberate difference, see the README's seeds section).
    static let cases: [Case] = [
        Case(name: "point_zero", lines: ["1.0", "2.0", "3"], type: "integer", values: ["1", "2", "3"]),
        Case(name: "exponent", lines: ["1e5", "2E3", "7"], type: "integer", values: ["100000", "2000", "7"]),
        Case(
            name: "thousands", lines: ["\"1,234\"", "\"5,678\"", "9"], type: "integer", values: ["1234", "5678", "9"]),
        Case(name: "fraction", lines: ["1.5", "2", "3.25"], type: "double precision", values: ["1.5", "2", "3.25"]),
        Case(name: "empty_only", lines: ["\"\"", "", "\"\""], type: "integer", values: [nil, nil, nil]),
        Case(name: "null_only", lines: ["null", "", "NULL"], type: "integer", values: [nil, nil, nil]),
        Case(name: "null_and_int", lines: ["1", "null", "3"], type: "integer", values: ["1", nil, "3"]),
        Case(name: "null_and_text", lines: ["abc", "null", "def"], type: "text", values: ["abc", nil, "def"]),
        Case(name: "null_spaces", lines: ["abc", " Null ", "def"], type: "text", values: ["abc", nil, "def"]),
        Case(name: "bool_caps", lines: ["TRUE", "False", "true"], type: "boolean", values: ["true", "false", "true"]),
        Case(name: "bool_null", lines: ["true", "null", "false"], type: "boolean", values: ["true", nil, "false"]),
        Case(name: "spaces_int", lines: ["\" 5\"", "\"6 \"", "7"], type: "integer", values: ["5", "6", "7"]),
        Case(name: "spaces_text", lines: ["\" a\"", "\"b \"", "c"], type: "text", values: [" a", "b ", "c"]),
        Case(name: "currency", lines: ["$5", "-$6", "7"], type: "integer", values: ["5", "-6", "7"]),
        Case(name: "percent", lines: ["5%", "6", "7"], type: "integer", values: ["5", "6", "7"]),
        Case(name: "plus_sign", lines: ["+5", "6", "7"], type: "integer", values: ["5", "6", "7"]),
        Case(name: "nan_float", lines: ["NaN", "1.5", "2"], type: "double precision", values: ["NaN", "1.5", "2"]),
        Case(
            name: "date_short", lines: ["2024-1-5", "2024-01-06", "2024-01-07"], type: "date",
            values: ["2024-01-05", "2024-01-06", "2024-01-07"]),
        Case(
            name: "date_null", lines: ["2024-01-05", "null", "2024-01-07"], type: "date",
            values: ["2024-01-05", nil, "2024-01-07"]),
        Case(
            name: "ts_plain", lines: ["2024-01-05 10:11:12", "", "2024-01-06 00:00:00"],
            type: "timestamp without time zone", values: ["2024-01-05 10:11:12", nil, "2024-01-06 00:00:00"]),
        Case(
            name: "ts_iso", lines: ["2024-01-05T10:11:12", "", "2024-01-06T00:00:00Z"],
            type: "timestamp without time zone", values: ["2024-01-05 10:11:12", nil, "2024-01-06 00:00:00"]),
        Case(
            name: "ts_mixed", lines: ["2024-01-05T10:11:12", "", "2024-01-06 00:00:00"], type: "text",
            values: ["2024-01-05T10:11:12", nil, "2024-01-06 00:00:00"]),
        Case(name: "zero_one", lines: ["0", "1", "1"], type: "integer", values: ["0", "1", "1"]),
        Case(name: "underscore", lines: ["1_000", "2", "3"], type: "integer", values: ["1000", "2", "3"]),
        Case(name: "trailing_dot", lines: ["5.", ".5", "1"], type: "double precision", values: ["5", "0.5", "1"]),
        Case(name: "frac_zero_exp", lines: ["1.50e1", "2", "3"], type: "integer", values: ["15", "2", "3"]),
        Case(name: "na", lines: ["n/a", "1", "2"], type: "text", values: ["n/a", "1", "2"]),
        Case(
            name: "thousands_frac", lines: ["\"1,234.5\"", "2", "3"], type: "double precision",
            values: ["1234.5", "2", "3"]),
        Case(name: "neg_zero", lines: ["-0", "-0.0", "3"], type: "integer", values: ["0", "0", "3"]),
        Case(name: "text_plain", lines: ["a", "1", "2"], type: "text", values: ["a", "1", "2"]),
    ]

    @Test(arguments: cases)
    func typesAndLoadsAsDbtDoes(_ seed: Case) async throws {
        let root = try SeedLoadingTests.project("v\n" + seed.lines.joined(separator: "\n") + "\n", name: seed.name)
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            let result = try SeedLoadingTests.loader(root, schema: schema, name: seed.name).load(
                session: connection, runId: "typing")
            #expect(result.rows == seed.lines.count)
            let type = try connection.execute(
                "select format_type(atttypid, atttypmod) from pg_attribute where attrelid = $1::regclass and attname = 'v'",
                [qualifiedName(schema, seed.name)]
            ).scalar
            #expect(type == seed.type)
            // Row order is the file's: a fresh table filled by one COPY is read back in insertion order.
            let values = try connection.execute("select v::text from \(qualifiedName(schema, seed.name))").rows.map {
                $0[0]
            }
            #expect(values == seed.values)
        }
    }

    /// A file longer than the sample the load starts with: the types come from the whole file,
    /// whatever the first records say (the load is redone with the scan's types, in one commit).
    @Test(
        arguments: [
            ("x", "text", "x"), ("2.5", "double precision", "2.5"), ("null", "integer", nil),
            ("1,000", "integer", "1000"),
        ] as [(String, String, String?)])
    func typesComeFromTheWholeFile(last: String, type: String, value: String?) async throws {
        let count = SeedLoader.sampleRows * 3
        let lines = (1..<count).map { "\($0),\($0)" } + ["\(count),\"\(last)\""]
        let root = try SeedLoadingTests.project("id,v\n" + lines.joined(separator: "\n") + "\n")
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            // A first load of integers: the reload's sample matches the existing table.
            try SeedLoadingTests.write("id,v\n1,1\n", to: root)
            _ = try SeedLoadingTests.loader(root, schema: schema).load(session: connection, runId: "first")
            try SeedLoadingTests.write("id,v\n" + lines.joined(separator: "\n") + "\n", to: root)
            let result = try SeedLoadingTests.loader(root, schema: schema).load(session: connection, runId: "second")
            #expect(result.rows == count)
            #expect(try SeedLoadingTests.columnTypes(connection, schema, "hr") == ["integer", type])
            let rows = try connection.execute(
                "select count(*)::text, (select v::text from \(qualifiedName(schema, "hr")) where id = \(count)) from \(qualifiedName(schema, "hr"))"
            ).rows
            #expect(rows == [["\(count)", value]])
            #expect(try SeedLoadingTests.leftovers(connection, schema).isEmpty)
        }
    }

    /// Past the sample: a malformed record and a value the server rejects are reported at their
    /// file line, and the previous table stays as it was.
    @Test func errorsPastTheSampleNameTheirLineAndKeepTheOldTable() async throws {
        let count = SeedLoader.sampleRows * 2
        let good = (1...count).map { "\($0),2024-01-01" }
        let root = try SeedLoadingTests.project("id,day\n" + good.joined(separator: "\n") + "\n")
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            let configuration = SeedConfiguration(columnTypes: ["day": "date"])
            let loader = SeedLoadingTests.loader(root, schema: schema, configuration: configuration)
            _ = try loader.load(session: connection, runId: "first")
            var malformed = good
            malformed[count - 10] = "1,2,3"
            try SeedLoadingTests.write("id,day\n" + malformed.joined(separator: "\n") + "\n", to: root)
            let structural = #expect(throws: SeedLoadError.self) { try loader.load(session: connection, runId: "r2") }
            #expect(structural?.diagnostic.location?.line == count - 10 + 2)
            #expect(structural?.description.contains("expected 2 fields, found 3") == true)
            var rejected = good
            rejected[count - 5] = "\(count - 4),2024-02-30"
            try SeedLoadingTests.write("id,day\n" + rejected.joined(separator: "\n") + "\n", to: root)
            let value = #expect(throws: SeedLoadError.self) { try loader.load(session: connection, runId: "r3") }
            #expect(value?.diagnostic.location == SourceLocation(file: "seeds/hr.csv", line: count - 5 + 2, column: 1))
            #expect(value?.description.contains("date/time field value out of range") == true)
            let kept = try connection.execute("select count(*)::text from \(qualifiedName(schema, "hr"))").scalar
            #expect(kept == "\(count)")
            #expect(try SeedLoadingTests.leftovers(connection, schema).isEmpty)
        }
    }
}
