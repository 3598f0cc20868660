/// A position in a project file: 1-based line and column.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Path relative to the project root, as printed in diagnostics.
    public var file: String
    public var line: Int
    public var column: Int
    /// A spreadsheet cell (`Feuille 1!B12`) for locations in workbooks, printed instead of
    /// `line:col` (which then hold the cell's row and column).
    public var cell: String?

    public init(file: String, line: Int, column: Int, cell: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.cell = cell
    }

    public var description: String { cell.map { "\(file):\($0)" } ?? "\(file):\(line):\(column)" }

    /// The location of a UTF-8 byte offset in `text`.
    public static func at(utf8Offset: Int, in text: String, file: String) -> SourceLocation {
        var line = 1
        var column = 1
        var index = 0
        for byte in text.utf8 {
            if index >= utf8Offset { break }
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
        return SourceLocation(file: file, line: line, column: column)
    }
}
