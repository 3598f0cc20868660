import Foundation

/// The repository's flagship project, copied for tests that run `sqlt` on it.
public enum FlagshipProject {
    /// The repository root (where the flagship project lives).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A copy of the project file, models, seeds, tests, macros and `scripts/data` in a new
    /// temporary folder (no `target/`, no `.sqlt/`).
    public static func copy() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sqlt-flagship-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for item in ["sqlt_project.yml", "models", "seeds", "snapshots", "tests", "macros", "scripts/data"] {
            let source = root.appendingPathComponent(item)
            guard FileManager.default.fileExists(atPath: source.path) else { continue }
            let destination = folder.appendingPathComponent(item)
            try FileManager.default.createDirectory(
                at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: source, to: destination)
        }
        return folder
    }
}
