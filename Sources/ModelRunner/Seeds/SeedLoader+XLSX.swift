import Foundation
import ModelCompiler

extension SeedLoader {
    /// Whether the seed is an Excel workbook (`.xlsx`) rather than a CSV file.
    public var isWorkbook: Bool { file.pathExtension.lowercased() == "xlsx" }

    /// Converts the workbook's sheet (`sheet:` or the first) to a CSV file in a private temporary
    /// folder and runs `body` with a loader on it, so a workbook is typed, checked, copied and
    /// swapped exactly as a CSV seed is; errors name the workbook's cells. The folder is removed after.
    func withConvertedSheet<T>(_ body: (SeedLoader) throws(SeedLoadError) -> T) throws(SeedLoadError) -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sqlt-xlsx-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)", isDirectory: true)
        do {
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw fail("cannot create a temporary folder: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("sheet.csv")
        let map: XLSXSheetMap
        do {
            map = try XLSXSeedSource.convert(workbook: file, sheet: configuration.sheet, to: csv)
        } catch {
            throw workbookError(error)
        }
        var loader = self
        loader.file = csv
        loader.configuration.delimiter = UInt8(ascii: ",")
        loader.sheetMap = map
        return try body(loader)
    }

    /// A workbook error as a diagnostic at the workbook (and its cell when known).
    func workbookError(_ error: XLSXError) -> SeedLoadError {
        guard let cell = error.cell else {
            return SeedLoadError(Diagnostic.error("seed.load", "\(displayPath): \(error.message)"))
        }
        let reference = cell.split(separator: "!").last.map(String.init) ?? ""
        let position = XLSXColumn.parse(reference) ?? (column: 0, row: 1)
        let location = SourceLocation(file: displayPath, line: position.row, column: position.column + 1, cell: cell)
        return SeedLoadError(Diagnostic.error("seed.load", error.message, at: location))
    }
}
