import Foundation
import ModelCompiler
import TestSupport
import Testing

@testable import ModelRunner

/// `.xlsx` seeds: the workbook's cells become the same typed table a CSV seed gives, in the real
/// PostgreSQL of the test harness; errors name the workbook's cell.
@Suite struct XLSXSeedTests {
    typealias Cell = XLSXFixture.Cell

    static func workbook(_ fixture: XLSXFixture, name: String = "hr") throws -> (root: URL, file: URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sqlt-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("seeds"), withIntermediateDirectories: true)
        let file = root.appendingPathComponent("seeds/\(name).xlsx")
        try fixture.write(to: file)
        return (root, file)
    }

    static func loader(_ file: URL, schema: String, configuration: SeedConfiguration = .init()) -> SeedLoader {
        SeedLoader(file: file, displayPath: "seeds/hr.xlsx", schema: schema, alias: "hr", configuration: configuration)
    }

    /// The HR export's shape: French headers with accents, spaces and a quote, ids and salaries
    /// stored as floats, D/M/YYYY dates, an empty cell, then hundreds of formatted empty rows.
    static let hrExport: XLSXFixture = {
        var rows: [[Cell?]] = [
            [
                .text("ID salarié"), .text("Prénom"), .text("Date d'embauche"), .text("Salaire brut"),
                .inline("Pratique d'un sport"), .text("Actif"),
            ],
            [
                .number("10001.0"), .text("Camille"), .number("43257", style: 1), .number("59019.0"),
                .richText("Ten", "nis"), .boolean(true),
            ],
            [
                .number("1.0004E4"), .inline("Léa"), .number("30964", style: 1), .number("30940.5"), nil,
                .boolean(false),
            ],
            [
                .number("10007"), .text("Zoé \"Z\""), .number("45000", style: 1), .number("4.25E4"), .formattedEmpty,
                nil,
            ],
        ]
        for _ in 0..<840 { rows.append(Array(repeating: Cell.formattedEmpty, count: 6)) }
        return XLSXFixture(sheets: [XLSXFixture.Sheet(name: "Feuille 1", rows: rows)])
    }()

    @Test func loadsTheHRExportShapeAsTypedColumns() async throws {
        let (_, file) = try Self.workbook(Self.hrExport)
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            let result = try Self.loader(file, schema: schema).load(session: connection, runId: "x1")
            #expect(result.rows == 3)
            let columns = try connection.execute(
                "select column_name::text, data_type::text from information_schema.columns where table_schema = $1 and table_name = 'hr' order by ordinal_position",
                [schema]
            ).rows
            // the same inference as CSV seeds, dbt-postgres' own: numbers with a fraction are float8
            #expect(
                columns == [
                    ["ID salarié", "integer"], ["Prénom", "text"], ["Date d'embauche", "date"],
                    ["Salaire brut", "double precision"],
                    ["Pratique d'un sport", "text"], ["Actif", "boolean"],
                ])
            let rows = try connection.execute(
                """
                select "ID salarié"::text, "Prénom", "Date d'embauche"::text, "Salaire brut"::text, "Pratique d'un sport", "Actif"::text
                from \(qualifiedName(schema, "hr")) order by 1
                """
            ).rows
            #expect(
                rows == [
                    ["10001", "Camille", "2018-06-06", "59019", "Tennis", "true"],
                    ["10004", "Léa", "1984-10-09", "30940.5", nil, "false"],
                    ["10007", "Zoé \"Z\"", "2023-03-15", "42500", nil, nil],
                ])
            #expect(
                try connection.execute(
                    "select count(*) from \(qualifiedName(schema, "hr")) where \"Pratique d'un sport\" = 'NaN'"
                ).scalar == "0")
        }
    }

    @Test func sheetConfigPicksASheetAndAnUnknownSheetIsNamed() async throws {
        let fixture = XLSXFixture(sheets: [
            XLSXFixture.Sheet(name: "Notes", rows: [[.text("free text")]]),
            XLSXFixture.Sheet(name: "Données", rows: [[.text("id")], [.number("7.0")]]),
        ])
        let (_, file) = try Self.workbook(fixture)
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            _ = try Self.loader(file, schema: schema, configuration: SeedConfiguration(sheet: "Données")).load(
                session: connection, runId: "s1")
            #expect(try connection.execute("select id::text from \(qualifiedName(schema, "hr"))").scalar == "7")
            // The first sheet by default.
            _ = try Self.loader(file, schema: schema).load(session: connection, runId: "s2")
            #expect(try connection.execute("select \"free text\" from \(qualifiedName(schema, "hr"))").rows.isEmpty)
            #expect(throws: SeedLoadError.self) {
                _ = try Self.loader(file, schema: schema, configuration: SeedConfiguration(sheet: "Feuil1")).load(
                    session: connection, runId: "s3")
            }
            do {
                _ = try Self.loader(file, schema: schema, configuration: SeedConfiguration(sheet: "Feuil1")).scan()
            } catch {
                #expect(
                    "\(error)" == "error: seeds/hr.xlsx: no sheet named 'Feuil1' (the workbook has 'Notes', 'Données')")
            }
        }
    }

    @Test func aBadValueIsReportedAtItsCellAndTheOldTableStays() async throws {
        let good = XLSXFixture(sheets: [
            XLSXFixture.Sheet(
                name: "Feuille 1",
                rows: [
                    [.text("ID salarié"), .text("Jours")], [.number("1.0"), .number("25.0")],
                    [.number("2.0"), .number("27.0")],
                ])
        ])
        let (_, file) = try Self.workbook(good)
        try await TestDatabase.withSchema { pg, schema, _ in
            let connection: any DatabaseSession = pg
            let types = SeedConfiguration(columnTypes: ["Jours": "integer", "ID salarié": "integer"])
            _ = try Self.loader(file, schema: schema, configuration: types).load(session: connection, runId: "g1")

            // Checked while scanning (an integer column_type): row 12 of the sheet, column B.
            var rows: [[Cell?]] = [[.text("ID salarié"), .text("Jours")]]
            rows.append(contentsOf: (2...11).map { [.number("\($0).0"), .number("25.0")] })
            rows.append([.number("12.0"), .text("vingt")])
            try XLSXFixture(sheets: [XLSXFixture.Sheet(name: "Feuille 1", rows: rows)]).write(to: file)
            do {
                _ = try Self.loader(file, schema: schema, configuration: types).load(session: connection, runId: "b1")
                Issue.record("a text in an integer column loaded")
            } catch {
                #expect("\(error)".hasPrefix("seeds/hr.xlsx:Feuille 1!B12: error: value 'vingt' of column 'Jours'"))
                #expect((error as? SeedLoadError)?.diagnostic.location?.line == 12)
                #expect((error as? SeedLoadError)?.diagnostic.location?.column == 2)
            }

            // Rejected by the server (a date column_type): row 3, column B, from COPY's context.
            try XLSXFixture(sheets: [
                XLSXFixture.Sheet(
                    name: "Feuille 1",
                    rows: [
                        [.text("ID salarié"), .text("Jours")], [.number("1.0"), .inline("2024-01-01")],
                        [.number("2.0"), .inline("31/02/2024")],
                    ])
            ]).write(to: file)
            do {
                _ = try Self.loader(
                    file, schema: schema, configuration: SeedConfiguration(columnTypes: ["Jours": "date"])
                )
                .load(session: connection, runId: "b2")
                Issue.record("an impossible date loaded")
            } catch {
                #expect("\(error)".hasPrefix("seeds/hr.xlsx:Feuille 1!B3: error: "))
            }

            // An Excel error value.
            try XLSXFixture(sheets: [
                XLSXFixture.Sheet(
                    name: "Feuille 1",
                    rows: [
                        [.text("ID salarié"), .text("Jours")], [.number("1.0"), .error("#DIV/0!")],
                    ])
            ]).write(to: file)
            do {
                _ = try Self.loader(file, schema: schema).load(session: connection, runId: "b3")
                Issue.record("an Excel error loaded")
            } catch {
                #expect("\(error)" == "seeds/hr.xlsx:Feuille 1!B2: error: the cell holds the Excel error #DIV/0!")
            }

            // After three failed loads the first table is intact.
            let kept = try connection.execute("select \"Jours\"::text from \(qualifiedName(schema, "hr")) order by 1")
                .rows
            #expect(kept == [["25"], ["27"]])
            let leftovers = try connection.execute(
                "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname like '%sqlt_%'",
                [schema]
            ).scalar
            #expect(leftovers == "0")
        }
    }

    @Test func headerProblemsAndValuesOutsideTheHeaderAreCellErrors() throws {
        let cases: [([[Cell?]], String)] = [
            (
                [[.text("a"), nil, .text("c")], [.number("1"), .number("2"), .number("3")]],
                "seeds/hr.xlsx:S!B1: error: empty column name in header"
            ),
            ([[.text("a"), .text("a")]], "seeds/hr.xlsx:S!B1: error: duplicate column name 'a' in header"),
            (
                [[.text("a")], [.number("1"), .text("stray")]],
                "seeds/hr.xlsx:S!B2: error: value 'stray' outside the header's columns A-A"
            ),
        ]
        for (rows, expected) in cases {
            let (_, file) = try Self.workbook(XLSXFixture(sheets: [XLSXFixture.Sheet(name: "S", rows: rows)]))
            #expect(throws: SeedLoadError.self) { _ = try Self.loader(file, schema: "unused").scan() }
            do {
                _ = try Self.loader(file, schema: "unused").scan()
            } catch {
                #expect("\(error)" == expected)
            }
        }
    }

    @Test func rowsMissingFromTheSheetAreNullRowsAndTimesAndThe1904SystemConvert() throws {
        var fixture = XLSXFixture(sheets: [
            XLSXFixture.Sheet(
                name: "S",
                rows: [
                    [.text("d"), .text("t")], [.number("1000", style: 1), .number("0.5", style: 3)],
                    [.number("0", style: 1), .isoDate("2024-05-06T07:08:09")],
                ],
                rowNumbers: [1, 2, 4])
        ])
        fixture.date1904 = true
        let (_, file) = try Self.workbook(fixture)
        let scan = try Self.loader(file, schema: "unused").scan()
        #expect(scan.columns == ["d", "t"])
        #expect(scan.rowCount == 3)
        #expect(scan.inferredTypes == ["date", "text"])
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("sqlt-xlsx-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: csv) }
        let map = try XLSXSeedSource.convert(workbook: file, sheet: nil, to: csv)
        #expect(
            String(decoding: try Data(contentsOf: csv), as: UTF8.self)
                == "\"d\",\"t\"\n\"1906-09-27\",\"12:00:00\"\n,\n\"1904-01-01\",\"2024-05-06 07:08:09\"\n")
        #expect(map.recordLines.map(\.row) == [1, 2, 3, 4])
    }

    @Test(arguments: [
        (1.0, "1900-01-01"), (59.0, "1900-02-28"), (61.0, "1900-03-01"), (30964.0, "1984-10-09"),
        (45000.0, "2023-03-15"),
    ])
    func serialDatesFollowExcelsCalendar(serial: Double, expected: String) {
        #expect(XLSXNumberFormat.text(serial: serial, kind: .date, date1904: false) == expected)
    }

    @Test func serialEdgeCasesAndFormatKindsAndPlainNumbers() {
        #expect(XLSXNumberFormat.text(serial: 60, kind: .date, date1904: false) == nil)
        #expect(XLSXNumberFormat.text(serial: 45000.75, kind: .dateTime, date1904: false) == "2023-03-15 18:00:00")
        #expect(XLSXNumberFormat.text(serial: 45000.75, kind: .date, date1904: false) == "2023-03-15 18:00:00")
        #expect(XLSXNumberFormat.kind(code: "D/M/YYYY") == .date)
        #expect(XLSXNumberFormat.kind(code: "yyyy-mm-dd hh:mm") == .dateTime)
        #expect(XLSXNumberFormat.kind(code: "h:mm") == .time)
        #expect(XLSXNumberFormat.kind(code: "0.00E+00") == .number)
        #expect(XLSXNumberFormat.kind(code: "General") == .number)
        #expect(XLSXNumberFormat.kind(code: "[Red]#,##0.00;\"days\"") == .number)
        #expect(XLSXNumberFormat.kind(id: 14, customCode: nil) == .date)
        #expect(XLSXNumberFormat.kind(id: 2, customCode: nil) == .number)
        #expect(XLSXNumberFormat.plainNumber("59019.0") == "59019")
        #expect(XLSXNumberFormat.plainNumber("5.9019E4") == "59019")
        #expect(XLSXNumberFormat.plainNumber("30940.50") == "30940.5")
        #expect(XLSXNumberFormat.plainNumber("1.5E-3") == "0.0015")
        #expect(XLSXNumberFormat.plainNumber("-0.0") == "0")
        #expect(XLSXNumberFormat.plainNumber("abc") == nil)
        #expect(XLSXColumn.parse("AB12")! == (27, 12))
        #expect(XLSXColumn.letters(27) == "AB")
    }
}
