import Foundation
import Testing

@testable import ModelCompiler

@Suite struct AtomicFileTests {
    static func inode(_ path: String) throws -> UInt64 {
        var status = stat()
        guard stat(path, &status) == 0 else { throw CocoaError(.fileReadNoSuchFile) }
        return UInt64(status.st_ino)
    }

    /// A file already holding its text is not rewritten (same inode); a changed one, a longer or
    /// shorter one and a new one are written through a temporary file renamed over them.
    @Test func writeFilesLeavesAFileHoldingItsTextAlone() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let same = folder.appendingPathComponent("a/same.sql").path
        let changed = folder.appendingPathComponent("a/changed.sql").path
        let shorter = folder.appendingPathComponent("b/shorter.sql").path
        try AtomicFile.writeFiles([(same, "select 1"), (changed, "select 2"), (shorter, "select 33")])
        let before = try [same, changed, shorter].map(Self.inode)
        try AtomicFile.writeFiles([
            (same, "select 1"), (changed, "select 3"), (shorter, "select 3"),
            (folder.appendingPathComponent("b/new.sql").path, ""),
        ])
        let after = try [same, changed, shorter].map(Self.inode)
        #expect(after[0] == before[0])
        #expect(after[1] != before[1] && after[2] != before[2])
        #expect(try String(contentsOfFile: same, encoding: .utf8) == "select 1")
        #expect(try String(contentsOfFile: changed, encoding: .utf8) == "select 3")
        #expect(try String(contentsOfFile: shorter, encoding: .utf8) == "select 3")
        #expect(try String(contentsOfFile: folder.appendingPathComponent("b/new.sql").path, encoding: .utf8) == "")
        #expect(!AtomicFile.holds(Array("x".utf8), atPath: folder.appendingPathComponent("a").path))
    }
}
