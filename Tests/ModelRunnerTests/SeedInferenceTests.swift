import Foundation
import Testing

@testable import ModelRunner

@Suite struct SeedInferenceTests {
    /// Kinds as dbt-postgres 1.11's agate type tester sees the values (checked by typing a seed of
    /// them with dbt's own `from_csv` and `PostgresAdapter.convert_type`).
    @Test(arguments: [
        ("", SeedValueKind.empty),
        ("42", .integer), ("-2147483648", .integer), ("2147483648", .bigint), ("-9223372036854775808", .bigint),
        ("9223372036854775808", .float), ("3.14", .float), ("-.5", .float),
        // agate normalises the Decimal: `1e10` has no decimal place (dbt: `integer`, then the load
        // fails past 2^31; sqlt: `bigint`), `1.0` and `1,234` are integers, `null` is NULL
        ("1e10", .bigint), ("1.0", .integer), ("1,234", .integer), ("NULL", .null),
        (" null ", .null), ("$5", .integer), ("2024-1-5", .date), ("2024-01-05 1:2:3", .timestamp),
        // Checked one by one with dbt 1.11's own type tester (dbt_common's build_type_tester on a
        // one-value agate table): agate strips its own `-` then Decimal reads a sign again.
        ("- 5", .integer), ("--5", .integer), ("+-5", .text), ("€5", .integer), ("5€", .integer),
        ("1,2,3", .integer), ("tr,ue", .boolean), ("nul,l", .boolean), ("sNaN", .text), (" 7 ", .integer),
        ("TRUE", .boolean), ("false", .boolean), ("yes", .text),
        ("2024-02-29", .date), ("2023-02-29", .text), ("2024-13-01", .text),
        ("2024-01-05 10:20:30", .timestamp), ("2024-01-05T10:20", .isoTimestamp), ("2024-01-05T10", .isoTimestamp),
        ("2024-01-05T10:20:30.5", .isoTimestamp), ("2024-01-05T10:20:30,5", .isoTimestamp),
        ("2024-01-05T10:20:30Z", .isoTimestamp), ("2024-01-05T11:00:00+02:00", .isoTimestamp),
        ("2024-01-05T10:20:30+0530", .isoTimestamp),
        // agate's DateTime format is `%Y-%m-%d %H:%M:%S` exactly: anything else with a space is text
        ("2024-01-05 10:20:30.123456", .text), ("2024-01-05 10:20:30+02:00", .text), ("2024-01-05 10:20", .text),
        ("2024-01-05 24:00:00", .text), ("10:20:30", .text),
        ("abc", .text), ("1.2.3", .text), ("-", .text), ("1e", .text), ("12a", .text),
    ])
    func classifies(value: String, kind: SeedValueKind) {
        #expect(SeedValueKind.classify(Array(value.utf8)) == kind)
    }

    /// Column types as dbt-postgres 1.11 gives them (same check as above), except `bigint`: dbt
    /// types a column of integers `integer` whatever their size and then fails to load values
    /// past 2^31; sqlt loads them.
    @Test(arguments: [
        (["1", "2", ""], "integer"),
        (["1", "3000000000"], "bigint"),
        (["42000.50", "41000"], "double precision"),
        (["1", "2.5"], "double precision"),
        (["true", "False", ""], "boolean"),
        (["2024-01-01", ""], "date"),
        (["2024-01-05 10:20:30", "2024-01-05 11:00:00"], "timestamp without time zone"),
        (["2024-01-05T10:20:30Z", "2024-01-05T11:00:00+02:00"], "timestamp without time zone"),
        (["2024-01-01", "2024-01-01 10:00:00"], "text"),
        (["2024-01-01 10:00:00", "2024-01-01T10:00:00"], "text"),
        (["1", "x"], "text"),
        (["true", "1"], "text"),
        (["", ""], "integer"),
        ([], "integer"),
    ])
    func infersColumn(values: [String], type: String) {
        var inference = ColumnTypeInference()
        for value in values { inference.add(SeedValueKind.classify(Array(value.utf8))) }
        #expect(inference.type == type)
    }

    static func scan(_ text: String, overrides: [String: String] = [:]) throws(CSVError) -> SeedFileScan {
        var reader = CSVReader(bytes: Array(text.utf8))
        return try SeedFileScan.scan(&reader, overrides: overrides)
    }

    @Test func scanReportsTypesRowsAndDataRange() throws {
        let text = "\u{FEFF}id,name,active,born\n1,Ann,true,1990-01-02\n2,\"Bob, Jr\",false,\n\n\n"
        let scan = try Self.scan(text)
        #expect(scan.columns == ["id", "name", "active", "born"])
        #expect(scan.inferredTypes == ["integer", "text", "boolean", "date"])
        #expect(scan.rowCount == 2)
        #expect(scan.dataStart == 3 + "id,name,active,born\n".utf8.count)
        // Trailing blank lines are not data.
        #expect(scan.dataEnd == text.utf8.count - 2)
        #expect(scan.firstDataLine == 2)
    }

    @Test(arguments: [
        ("a,b\n1,2\n3\n", "expected 2 fields, found 1", 3),
        ("a,b\n1,2\n\n3,4\n", "expected 2 fields, found a blank line", 3),
        ("a,b\n1,2,3\n", "expected 2 fields, found 3", 2),
        ("a,a\n1,2\n", "duplicate column name 'a' in header", 1),
        ("", "seed file has no header row", 1),
        ("a\n\\.\n", "a line holding only '\\.' ends COPY data early: quote it", 2),
    ])
    func scanErrors(text: String, message: String, line: Int) {
        #expect(throws: CSVError(message, line: line)) { try Self.scan(text) }
    }

    @Test func overrideValuesAreChecked() throws {
        #expect(throws: CSVError("value 'x' of column 'a' is not a valid bigint", line: 3, column: 0)) {
            try Self.scan("a,b\n1,2\nx,3\n", overrides: ["a": "bigint"])
        }
        // Types sqlt does not check are left to the server.
        #expect(try Self.scan("a\nx\n", overrides: ["a": "uuid"]).rowCount == 1)
        #expect(try Self.scan("a\n NaN\n 2 \n", overrides: ["a": "numeric(10,2)"]).rowCount == 2)
    }

    @Test func oneColumnBlankLineInsideIsANull() throws {
        let scan = try Self.scan("a\n1\n\n2\n\n")
        #expect(scan.rowCount == 3)
    }

    @Test func lineOfDataRecordFollowsEmbeddedNewlines() {
        var reader = CSVReader(bytes: Array("h,i\n\"a\nb\",1\nc,2\n".utf8))
        #expect(SeedFileScan.lineOfDataRecord(2, reader: &reader) == 4)
    }
}
