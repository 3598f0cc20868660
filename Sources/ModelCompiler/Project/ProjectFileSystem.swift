import Foundation

/// How the compiler reads a project: a small protocol so tests can use an in-memory project.
public protocol ProjectFileSystem: Sendable {
    /// The text of a file, by path relative to the project root.
    func read(_ path: String) throws -> String
    /// Whether a file exists at that relative path.
    func fileExists(_ path: String) -> Bool
    /// Every file below a folder (relative to the project root), recursively, sorted,
    /// whose name ends with one of `extensions` (without dot). Missing folder: empty.
    func files(under directory: String, extensions: Set<String>) -> [String]
}

/// The project on disk, rooted at a folder.
public struct DiskFileSystem: ProjectFileSystem {
    public let root: URL

    public init(root: URL) { self.root = root.standardizedFileURL }

    public func read(_ path: String) throws -> String {
        let url = root.appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Diagnostic.error("file.unreadable", "cannot read file '\(path)'")
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text
    }

    public func fileExists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path)
    }

    public func files(under directory: String, extensions: Set<String>) -> [String] {
        let base = directory.isEmpty || directory == "." ? root : root.appendingPathComponent(directory)
        guard let enumerator = FileManager.default.enumerator(
            at: base, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]
        ) else { return [] }
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        var result: [String] = []
        for case let url as URL in enumerator {
            guard extensions.contains(url.pathExtension) else { continue }
            let full = url.standardizedFileURL.path
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            result.append(full.hasPrefix(rootPath) ? String(full.dropFirst(rootPath.count)) : full)
        }
        return result.sorted()
    }
}

/// A project held in memory, for tests.
public struct InMemoryFileSystem: ProjectFileSystem {
    public var contents: [String: String]

    public init(_ contents: [String: String]) { self.contents = contents }

    public func read(_ path: String) throws -> String {
        guard let text = contents[path] else {
            throw Diagnostic.error("file.unreadable", "cannot read file '\(path)'")
        }
        return text
    }

    public func fileExists(_ path: String) -> Bool { contents[path] != nil }

    public func files(under directory: String, extensions: Set<String>) -> [String] {
        let prefix = directory.isEmpty || directory == "." ? "" : (directory.hasSuffix("/") ? directory : directory + "/")
        return contents.keys.filter { path in
            path.hasPrefix(prefix) && extensions.contains(String(path.split(separator: ".").last ?? ""))
        }.sorted()
    }
}
