import Foundation
import ModelCompiler

/// Where the rows of a converted sheet came from: which sheet row each CSV line holds and which
/// column letter each header name has, so an error found in the CSV is reported at its cell.
public struct XLSXSheetMap: Sendable, Equatable {
    public var sheet: String
    /// The header's names, in column order (column 0 is `A`, unless the sheet starts further right).
    public var columns: [String]
    /// The 0-based sheet column of each header column.
    public var sheetColumns: [Int]
    /// CSV line where each record starts, and the sheet row it holds, in order (line 1: the header).
    public var recordLines: [(line: Int, row: Int)]

    public static func == (lhs: XLSXSheetMap, rhs: XLSXSheetMap) -> Bool {
        lhs.sheet == rhs.sheet && lhs.columns == rhs.columns && lhs.sheetColumns == rhs.sheetColumns
            && lhs.recordLines.map(\.line) == rhs.recordLines.map(\.line)
            && lhs.recordLines.map(\.row) == rhs.recordLines.map(\.row)
    }

    /// The sheet row of the record that starts at or before CSV `line`.
    public func row(ofLine line: Int) -> Int? {
        var low = 0
        var high = recordLines.count - 1
        var found: Int?
        while low <= high {
            let middle = (low + high) / 2
            if recordLines[middle].line <= line {
                found = recordLines[middle].row
                low = middle + 1
            } else {
                high = middle - 1
            }
        }
        return found
    }

    /// `Sheet!B12` for a CSV line and a header column (the first column when unknown).
    public func cell(line: Int, column: Int?) -> String? {
        guard let row = row(ofLine: line) else { return nil }
        let sheetColumn = column.flatMap { $0 < sheetColumns.count ? sheetColumns[$0] : nil } ?? sheetColumns.first ?? 0
        return "\(sheet)!\(XLSXColumn.letters(sheetColumn))\(row)"
    }

    /// The header column of a name as the server prints it (quoted or folded to lower case).
    public func column(named name: String) -> Int? {
        columns.firstIndex(of: name) ?? columns.firstIndex { $0.lowercased() == name.lowercased() }
    }
}

/// Turns one sheet of a workbook into CSV text that the CSV seed path loads unchanged (same type
/// inference, `column_types`, `COPY` and swap): the first non-empty row is the header, kept as
/// written; numbers lose a zero fraction (`59019.0` is `59019`); numbers in date and time formats
/// become `YYYY-MM-DD` dates or timestamps; booleans `true`/`false`; empty cells NULL; empty rows
/// after the last value (formatted but empty, as exports leave them) are dropped.
public enum XLSXSeedSource {
    /// Reads `sheetName` (or the first sheet) and writes the CSV to `output`.
    public static func convert(
        workbook url: URL, sheet sheetName: String?, to output: URL
    ) throws(XLSXError) -> XLSXSheetMap {
        let workbook = try XLSXWorkbook(url: url)
        let sheet = try workbook.sheet(named: sheetName)
        let rows = try workbook.rows(of: sheet)
        func cell(_ column: Int, _ row: Int) -> String { "\(sheet.name)!\(XLSXColumn.letters(column))\(row)" }

        func text(_ value: XLSXRawValue, column: Int, row: Int) throws(XLSXError) -> String {
            switch value {
            case .shared(let index):
                guard index >= 0, index < workbook.sharedStrings.count else {
                    throw XLSXError("shared string \(index) does not exist", cell: cell(column, row))
                }
                return workbook.sharedStrings[index]
            case .text(let text): return text
            case .boolean(let flag): return flag ? "true" : "false"
            case .error(let code): throw XLSXError("the cell holds the Excel error \(code)", cell: cell(column, row))
            case .number(let stored, let style):
                let kind = style < workbook.styleKinds.count ? workbook.styleKinds[style] : .number
                if kind == .number {
                    guard let plain = XLSXNumberFormat.plainNumber(stored) else {
                        throw XLSXError("'\(stored)' is not a number", cell: cell(column, row))
                    }
                    return plain
                }
                guard let serial = Double(stored),
                    let date = XLSXNumberFormat.text(serial: serial, kind: kind, date1904: workbook.date1904)
                else { throw XLSXError("'\(stored)' is not a valid Excel date", cell: cell(column, row)) }
                return date
            }
        }

        // The header: the first row holding a value.
        var values: [(row: Int, cells: [(column: Int, text: String)])] = []
        for row in rows {
            var cells: [(column: Int, text: String)] = []
            for entry in row.cells {
                let value = try text(entry.value, column: entry.column, row: row.number)
                if !value.isEmpty { cells.append((entry.column, value)) }
            }
            values.append((row.number, cells))
        }
        guard let headerIndex = values.firstIndex(where: { !$0.cells.isEmpty }) else {
            throw XLSXError("sheet '\(sheet.name)' has no header row", cell: "\(sheet.name)!A1")
        }
        let header = values[headerIndex]
        let first = header.cells.map(\.column).min() ?? 0
        let last = header.cells.map(\.column).max() ?? 0
        var names: [String] = []
        var seen: Set<String> = []
        for column in first...last {
            guard let name = header.cells.first(where: { $0.column == column })?.text else {
                throw XLSXError("empty column name in header", cell: cell(column, header.row))
            }
            if !seen.insert(name).inserted {
                throw XLSXError("duplicate column name '\(name)' in header", cell: cell(column, header.row))
            }
            names.append(name)
        }
        let dataRows = values[(headerIndex + 1)...]
        let lastData = dataRows.lastIndex { !$0.cells.isEmpty }

        var csv = [UInt8]()
        var line = 1
        var recordLines: [(line: Int, row: Int)] = []
        func append(_ fields: [String], row: Int) {
            recordLines.append((line, row))
            for (index, field) in fields.enumerated() {
                if index > 0 { csv.append(UInt8(ascii: ",")) }
                guard !field.isEmpty else { continue }
                csv.append(UInt8(ascii: "\""))
                for byte in field.utf8 {
                    if byte == UInt8(ascii: "\"") { csv.append(byte) }
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    csv.append(byte)
                }
                csv.append(UInt8(ascii: "\""))
            }
            csv.append(UInt8(ascii: "\n"))
            line += 1
        }
        append(names, row: header.row)
        if let lastData {
            var expectedRow = header.row + 1
            for entry in values[(headerIndex + 1)...lastData] {
                // Rows absent from the sheet's XML are empty rows: NULL in every column.
                while expectedRow < entry.row {
                    append(Array(repeating: "", count: names.count), row: expectedRow)
                    expectedRow += 1
                }
                var fields = Array(repeating: "", count: names.count)
                for cellValue in entry.cells {
                    guard cellValue.column >= first, cellValue.column <= last else {
                        throw XLSXError(
                            "value '\(cellValue.text)' outside the header's columns \(XLSXColumn.letters(first))-\(XLSXColumn.letters(last))",
                            cell: cell(cellValue.column, entry.row))
                    }
                    fields[cellValue.column - first] = cellValue.text
                }
                append(fields, row: entry.row)
                expectedRow = entry.row + 1
            }
        }
        do {
            try Data(csv).write(to: output)
        } catch {
            throw XLSXError("cannot write the converted sheet: \(error.localizedDescription)")
        }
        return XLSXSheetMap(
            sheet: sheet.name, columns: names, sheetColumns: Array(first...last), recordLines: recordLines)
    }
}
