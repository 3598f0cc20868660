import Foundation
import ZIPFoundation

/// Writes small `.xlsx` workbooks for tests, part by part, as spreadsheet programs lay them out:
/// shared strings, a styles part with a `D/M/YYYY` date format (style 1) and a border-only style
/// for formatted empty cells (style 2), and one worksheet part per sheet.
struct XLSXFixture {
    enum Cell {
        /// A shared string.
        case text(String)
        /// A shared string made of two rich-text runs (and a phonetic run that readers skip).
        case richText(String, String)
        case inline(String)
        /// A stored number with a style index (0: General, 1: D/M/YYYY, 3: h:mm).
        case number(String, style: Int = 0)
        case boolean(Bool)
        /// An ISO 8601 date cell (`t="d"`), as some producers write them.
        case isoDate(String)
        case error(String)
        /// A cell with a style and no value (what exports leave below their data).
        case formattedEmpty
    }

    struct Sheet {
        var name: String
        /// Rows from row 1; a nil cell is absent from the XML.
        var rows: [[Cell?]]
        /// Explicit row numbers (for gaps); nil numbers rows from 1.
        var rowNumbers: [Int]? = nil
    }

    var sheets: [Sheet]
    var date1904 = false

    func write(to url: URL) throws {
        try? FileManager.default.removeItem(at: url)
        let archive = try Archive(url: url, accessMode: .create)
        var strings: [String] = []
        var sheetParts: [String] = []
        for sheet in sheets {
            var xml =
                #"<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>"#
            for (index, row) in sheet.rows.enumerated() {
                let number = sheet.rowNumbers?[index] ?? index + 1
                xml += #"<x:row r="\#(number)">"#
                for (column, cell) in row.enumerated() {
                    guard let cell else { continue }
                    let reference = Self.letters(column) + String(number)
                    switch cell {
                    case .text(let text):
                        strings.append("<t>\(Self.escape(text))</t>")
                        xml += #"<x:c r="\#(reference)" t="s"><x:v>\#(strings.count - 1)</x:v></x:c>"#
                    case .richText(let first, let second):
                        strings.append(
                            "<r><t>\(Self.escape(first))</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">\(Self.escape(second))</t></r><rPh sb=\"0\" eb=\"1\"><t>ignored</t></rPh>"
                        )
                        xml += #"<x:c r="\#(reference)" t="s"><x:v>\#(strings.count - 1)</x:v></x:c>"#
                    case .inline(let text):
                        xml +=
                            #"<x:c r="\#(reference)" t="inlineStr"><x:is><x:t>\#(Self.escape(text))</x:t></x:is></x:c>"#
                    case .number(let value, let style):
                        xml += #"<x:c r="\#(reference)" s="\#(style)"><x:v>\#(value)</x:v></x:c>"#
                    case .boolean(let flag):
                        xml += #"<x:c r="\#(reference)" t="b"><x:v>\#(flag ? 1 : 0)</x:v></x:c>"#
                    case .isoDate(let text):
                        xml += #"<x:c r="\#(reference)" t="d"><x:v>\#(text)</x:v></x:c>"#
                    case .error(let code):
                        xml += #"<x:c r="\#(reference)" t="e"><x:v>\#(code)</x:v></x:c>"#
                    case .formattedEmpty:
                        xml += #"<x:c r="\#(reference)" s="2"/>"#
                    }
                }
                xml += "</x:row>"
            }
            sheetParts.append(xml + "</x:sheetData></x:worksheet>")
        }
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
        var parts: [(String, String)] = [
            (
                "[Content_Types].xml",
                #"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#
            ),
            (
                "_rels/.rels",
                #"<Relationships xmlns="\#(pkg)"><Relationship Id="rId1" Type="\#(rel)/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ]
        let sheetList = sheets.enumerated().map { index, sheet in
            #"<sheet name="\#(Self.escape(sheet.name))" sheetId="\#(index + 1)" r:id="rIdSheet\#(index + 1)"/>"#
        }.joined()
        parts.append(
            (
                "xl/workbook.xml",
                #"<workbook xmlns="\#(main)" xmlns:r="\#(rel)"><workbookPr date1904="\#(date1904 ? 1 : 0)"/><sheets>\#(sheetList)</sheets></workbook>"#
            ))
        let sheetRelationships = sheets.indices.map { index in
            // The first sheet's target is absolute, the others relative to xl/, as both occur.
            let target = index == 0 ? "/xl/worksheets/sheet\(index + 1).xml" : "worksheets/sheet\(index + 1).xml"
            return #"<Relationship Id="rIdSheet\#(index + 1)" Type="\#(rel)/worksheet" Target="\#(target)"/>"#
        }.joined()
        parts.append(
            ("xl/_rels/workbook.xml.rels", #"<Relationships xmlns="\#(pkg)">\#(sheetRelationships)</Relationships>"#))
        parts.append(
            (
                "xl/styles.xml",
                #"<styleSheet xmlns="\#(main)"><numFmts count="1"><numFmt numFmtId="164" formatCode="D/M/YYYY"/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="0" borderId="1"/><xf numFmtId="20"/></cellXfs></styleSheet>"#
            ))
        parts.append(
            ("xl/sharedStrings.xml", #"<sst xmlns="\#(main)">\#(strings.map { "<si>\($0)</si>" }.joined())</sst>"#))
        for (index, xml) in sheetParts.enumerated() { parts.append(("xl/worksheets/sheet\(index + 1).xml", xml)) }
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    static func letters(_ index: Int) -> String {
        var n = index + 1
        var result = ""
        while n > 0 {
            result = String(UnicodeScalar(UInt8(65 + (n - 1) % 26))) + result
            n = (n - 1) / 26
        }
        return result
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
