import Foundation
import ZIPFoundation

/// Why a workbook could not be read: the message, and the cell (`Feuille 1!B12`) when one is known.
public struct XLSXError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// `Sheet!A12`, or nil for an error about the whole file.
    public var cell: String?
    public init(_ message: String, cell: String? = nil) {
        self.message = message
        self.cell = cell
    }
    public var description: String { cell.map { "\($0): \(message)" } ?? message }
}

/// An Office Open XML workbook (`.xlsx`): its sheets, shared strings and cell styles, read with
/// ZIPFoundation (the zip container) and Foundation's `XMLParser` (the parts). Only what a seed
/// needs is kept: cell values, and which cell styles format numbers as dates or times.
public struct XLSXWorkbook: Sendable {
    /// One sheet of the workbook, in the workbook's order.
    public struct Sheet: Sendable, Equatable {
        public var name: String
        /// The part's path inside the archive (`xl/worksheets/sheet1.xml`).
        public var part: String
    }

    public var sheets: [Sheet]
    /// `sharedStrings.xml`, by index.
    public var sharedStrings: [String]
    /// The number format kind of each cell style (`s` attribute), by index.
    public var styleKinds: [XLSXNumberFormat.Kind]
    /// Dates counted from 1904-01-01 (old Mac workbooks) rather than from 1900.
    public var date1904: Bool

    private let archive: ArchiveBox

    /// Opens the file and reads the workbook, its relationships, shared strings and styles.
    public init(url: URL) throws(XLSXError) {
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw XLSXError("not a readable .xlsx file (zip: \(error))")
        }
        self.archive = ArchiveBox(archive)
        guard let workbookXML = try Self.part("xl/workbook.xml", in: archive) else {
            throw XLSXError("not an .xlsx workbook: xl/workbook.xml is missing")
        }
        let workbook = try XLSXPartParser.workbook(workbookXML)
        let relationships =
            try Self.part("xl/_rels/workbook.xml.rels", in: archive).map(XLSXPartParser.relationships) ?? [:]
        var sheets: [Sheet] = []
        for (name, relationship) in workbook.sheets {
            guard let target = relationships[relationship] else {
                throw XLSXError("sheet '\(name)' has no part in xl/_rels/workbook.xml.rels")
            }
            // Targets are relative to xl/, or absolute from the package root.
            let part = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            sheets.append(Sheet(name: name, part: part))
        }
        self.sheets = sheets
        self.date1904 = workbook.date1904
        sharedStrings = try Self.part("xl/sharedStrings.xml", in: archive).map(XLSXPartParser.sharedStrings) ?? []
        styleKinds = try Self.part("xl/styles.xml", in: archive).map(XLSXPartParser.styleKinds) ?? []
    }

    /// The sheet named `name`, or the first sheet when `name` is nil.
    public func sheet(named name: String?) throws(XLSXError) -> Sheet {
        if let name {
            guard let sheet = sheets.first(where: { $0.name == name }) else {
                let names = sheets.map { "'\($0.name)'" }.joined(separator: ", ")
                throw XLSXError("no sheet named '\(name)' (the workbook has \(names))")
            }
            return sheet
        }
        guard let first = sheets.first else { throw XLSXError("the workbook has no sheet") }
        return first
    }

    /// The rows of a sheet, in order, with their cells' raw values.
    public func rows(of sheet: Sheet) throws(XLSXError) -> [XLSXRow] {
        guard let xml = try Self.part(sheet.part, in: archive.archive) else {
            throw XLSXError("sheet '\(sheet.name)' is missing its part \(sheet.part)")
        }
        return try XLSXSheetParser.rows(xml, sheet: sheet.name)
    }

    /// The bytes of one part, or nil when the archive has no such entry.
    static func part(_ path: String, in archive: Archive) throws(XLSXError) -> Data? {
        guard let entry = archive[path] else { return nil }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
        } catch {
            throw XLSXError("cannot read \(path) from the workbook: \(error)")
        }
        return data
    }
}

/// ZIPFoundation's `Archive` is a class that is only read here, after it is opened.
private final class ArchiveBox: @unchecked Sendable {
    let archive: Archive
    init(_ archive: Archive) { self.archive = archive }
}

/// One row of a sheet: its 1-based row number and its cells by 0-based column.
public struct XLSXRow: Sendable, Equatable {
    public var number: Int
    public var cells: [(column: Int, value: XLSXRawValue)]

    public static func == (lhs: XLSXRow, rhs: XLSXRow) -> Bool {
        lhs.number == rhs.number && lhs.cells.map(\.column) == rhs.cells.map(\.column)
            && lhs.cells.map(\.value) == rhs.cells.map(\.value)
    }
}

/// A cell as stored: its type attribute decides how `text` reads.
public enum XLSXRawValue: Sendable, Equatable {
    /// A number (`<v>59019</v>`) with the cell's style index.
    case number(String, style: Int)
    /// An index into the shared strings.
    case shared(Int)
    /// Text stored in the cell (`inlineStr` or a formula's `str` result).
    case text(String)
    case boolean(Bool)
    /// An Excel error value such as `#DIV/0!`.
    case error(String)
}

/// Column letters (`A`, `Z`, `AA`) to 0-based indexes and back.
public enum XLSXColumn {
    public static func letters(_ index: Int) -> String {
        var n = index + 1
        var result = ""
        while n > 0 {
            let remainder = (n - 1) % 26
            result = String(UnicodeScalar(UInt8(65 + remainder))) + result
            n = (n - 1) / 26
        }
        return result
    }

    /// The column and row of a reference such as `B12` (nil for a malformed one).
    public static func parse(_ reference: String) -> (column: Int, row: Int)? {
        var column = 0
        var row = 0
        var sawLetter = false
        var sawDigit = false
        for scalar in reference.unicodeScalars {
            switch scalar.value {
            case 65...90 where !sawDigit:
                column = column * 26 + Int(scalar.value - 64)
                sawLetter = true
            case 97...122 where !sawDigit:
                column = column * 26 + Int(scalar.value - 96)
                sawLetter = true
            case 48...57 where sawLetter:
                row = row * 10 + Int(scalar.value - 48)
                sawDigit = true
            case 36:  // `$A$1`
                continue
            default:
                return nil
            }
        }
        return sawLetter && sawDigit ? (column - 1, row) : nil
    }
}
