import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads the small parts of a workbook with Foundation's `XMLParser` (libxml2 underneath):
/// the sheet list, the relationships, the shared strings and the cell styles' number formats.
/// Element names are matched without their namespace prefix, as producers differ in prefixes.
enum XLSXPartParser {
    struct Workbook {
        /// Sheet name and relationship id, in workbook order.
        var sheets: [(name: String, relationship: String)] = []
        var date1904 = false
    }

    static func workbook(_ data: Data) throws(XLSXError) -> Workbook {
        var result = Workbook()
        try XLSXElementWalker.walk(data, part: "xl/workbook.xml") { event in
            guard case .start(let name, let attributes) = event else { return }
            switch name {
            case "sheet":
                let relationship = XLSXElementWalker.attribute(attributes, "id") ?? ""
                result.sheets.append((attributes["name"] ?? "", relationship))
            case "workbookPr":
                let value = attributes["date1904"]?.lowercased()
                result.date1904 = value == "1" || value == "true"
            default: break
            }
        }
        return result
    }

    /// Relationship id to target.
    static func relationships(_ data: Data) throws(XLSXError) -> [String: String] {
        var result: [String: String] = [:]
        try XLSXElementWalker.walk(data, part: "xl/_rels/workbook.xml.rels") { event in
            guard case .start("Relationship", let attributes) = event,
                let id = attributes["Id"], let target = attributes["Target"]
            else { return }
            result[id] = target
        }
        return result
    }

    /// Each `<si>`'s text: its `<t>` elements, rich-text runs joined, phonetic runs (`rPh`) left out.
    static func sharedStrings(_ data: Data) throws(XLSXError) -> [String] {
        var result: [String] = []
        var current = ""
        var inText = false
        var phoneticDepth = 0
        try XLSXElementWalker.walk(data, part: "xl/sharedStrings.xml") { event in
            switch event {
            case .start("si", _): current = ""
            case .start("rPh", _): phoneticDepth += 1
            case .start("t", _): inText = phoneticDepth == 0
            case .characters(let text) where inText: current += text
            case .end("t"): inText = false
            case .end("rPh"): phoneticDepth -= 1
            case .end("si"): result.append(current)
            default: break
            }
        }
        return result
    }

    /// The number format kind of each `<xf>` of `<cellXfs>` (the `s` attribute of a cell indexes it).
    static func styleKinds(_ data: Data) throws(XLSXError) -> [XLSXNumberFormat.Kind] {
        var customFormats: [Int: String] = [:]
        var formatIds: [Int] = []
        var inCellFormats = false
        try XLSXElementWalker.walk(data, part: "xl/styles.xml") { event in
            switch event {
            case .start("numFmt", let attributes):
                if let id = attributes["numFmtId"].flatMap({ Int($0) }) {
                    customFormats[id] = attributes["formatCode"] ?? ""
                }
            case .start("cellXfs", _): inCellFormats = true
            case .end("cellXfs"): inCellFormats = false
            case .start("xf", let attributes) where inCellFormats:
                formatIds.append(attributes["numFmtId"].flatMap { Int($0) } ?? 0)
            default: break
            }
        }
        return formatIds.map { XLSXNumberFormat.kind(id: $0, customCode: customFormats[$0]) }
    }
}

/// A push parser over one XML part that hands out start, end and text events with local names.
final class XLSXElementWalker: NSObject, XMLParserDelegate {
    enum Event {
        case start(String, [String: String])
        case end(String)
        case characters(String)
    }

    private let handler: (Event) -> Void

    private init(_ handler: @escaping (Event) -> Void) { self.handler = handler }

    /// Parses `data`, calling `handler` for every event; a malformed part is an error naming it.
    static func walk(_ data: Data, part: String, _ handler: @escaping (Event) -> Void) throws(XLSXError) {
        let parser = XMLParser(data: data)
        let walker = XLSXElementWalker(handler)
        parser.delegate = walker
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        guard parser.parse() else {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "unknown error"
            throw XLSXError("malformed XML in \(part) at line \(parser.lineNumber): \(reason)")
        }
    }

    /// An attribute by local name, whatever its prefix (`r:id`, `id`).
    static func attribute(_ attributes: [String: String], _ name: String) -> String? {
        if let value = attributes[name] { return value }
        return attributes.first { $0.key.hasSuffix(":" + name) }?.value
    }

    private static func local(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        handler(.start(Self.local(elementName), attributeDict))
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
    ) {
        handler(.end(Self.local(elementName)))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        handler(.characters(string))
    }
}

/// Reads `<sheetData>`: rows and cells with their type (`t`), style (`s`) and value (`<v>`, or
/// `<is><t>` for inline strings). Cells without a reference follow the previous one.
enum XLSXSheetParser {
    static func rows(_ data: Data, sheet: String) throws(XLSXError) -> [XLSXRow] {
        var rows: [XLSXRow] = []
        var row: XLSXRow?
        var cellColumn = 0
        var cellType = "n"
        var cellStyle = 0
        var cellText = ""
        var inValue = false
        var hasValue = false
        var failure: XLSXError?
        try XLSXElementWalker.walk(data, part: "sheet '\(sheet)'") { event in
            switch event {
            case .start("row", let attributes):
                let number = attributes["r"].flatMap { Int($0) } ?? ((rows.last?.number ?? 0) + 1)
                row = XLSXRow(number: number, cells: [])
            case .end("row"):
                if let row { rows.append(row) }
                row = nil
            case .start("c", let attributes):
                let previous = row?.cells.last?.column ?? -1
                cellColumn = attributes["r"].flatMap { XLSXColumn.parse($0)?.column } ?? (previous + 1)
                cellType = attributes["t"] ?? "n"
                cellStyle = attributes["s"].flatMap { Int($0) } ?? 0
                cellText = ""
                hasValue = false
            case .start("v", _), .start("t", _):
                inValue = true
                hasValue = true
            case .characters(let text) where inValue:
                cellText += text
            case .end("v"), .end("t"):
                inValue = false
            case .end("c"):
                guard hasValue, row != nil else { return }
                let value: XLSXRawValue
                switch cellType {
                case "s":
                    guard let index = Int(cellText.trimmingCharacters(in: .whitespaces)) else {
                        failure = failure ?? XLSXError("bad shared string index '\(cellText)'")
                        return
                    }
                    value = .shared(index)
                case "str", "inlineStr": value = .text(cellText)
                case "d":  // an ISO 8601 date or time, which PostgreSQL reads as written
                    value = .text(cellText.replacingOccurrences(of: "T", with: " "))
                case "b": value = .boolean(cellText.trimmingCharacters(in: .whitespaces) == "1")
                case "e": value = .error(cellText)
                default:
                    let trimmed = cellText.trimmingCharacters(in: .whitespaces)
                    guard !trimmed.isEmpty else { return }
                    value = .number(trimmed, style: cellStyle)
                }
                row?.cells.append((cellColumn, value))
            default: break
            }
        }
        if let failure { throw failure }
        return rows
    }
}
