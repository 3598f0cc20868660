import Foundation

/// Projects written to a temporary folder for tests that run the `sqlt` binary on them.
public enum TemporaryProject {
    /// Writes `files` (relative path → text) into a new folder `sqlt-<prefix>-<random>` under the
    /// temporary directory and returns it; the caller removes it.
    public static func write(_ files: [String: String], prefix: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sqlt-\(prefix)-\(UUID().uuidString.prefix(8))")
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return folder
    }
}
