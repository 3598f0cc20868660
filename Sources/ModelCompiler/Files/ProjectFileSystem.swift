import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// How the compiler reads a project: a small protocol so tests can use an in-memory project.
public protocol ProjectFileSystem: Sendable {
    /// The text of a file, by path relative to the project root.
    func read(_ path: String) throws -> String
    /// Whether a file exists at that relative path.
    func fileExists(_ path: String) -> Bool
    /// Every file below a folder (relative to the project root), recursively, sorted,
    /// whose name ends with one of `extensions` (without dot). Missing folder: empty.
    func files(under directory: String, extensions: Set<String>) -> [String]
    /// The names of the folders directly inside a folder (relative to the project root), sorted,
    /// without descending into them (installed packages may link back to the project).
    func subfolders(of directory: String) -> [String]
}

extension ProjectFileSystem {
    /// Derived from `files(under:)`, for file systems that list only files.
    public func subfolders(of directory: String) -> [String] {
        let prefix =
            directory.isEmpty || directory == "." ? "" : (directory.hasSuffix("/") ? directory : directory + "/")
        var names = Set<String>()
        for path in files(under: directory, extensions: ["yml", "yaml", "sql", "csv", "md"]) {
            let rest = path.dropFirst(prefix.count)
            if let slash = rest.firstIndex(of: "/") { names.insert(String(rest[..<slash])) }
        }
        return names.sorted()
    }
}

/// The project on disk, rooted at a folder.
public struct DiskFileSystem: ProjectFileSystem {
    public let root: URL
    /// `root.path`, computed once: URL's path is decoded on every access.
    private let rootPath: String

    public init(root: URL) {
        self.root = root.standardizedFileURL
        rootPath = self.root.path
    }

    /// Read with open/fstat/read straight into the string's storage: FileManager plus Data costs
    /// more than the parse itself on projects of thousands of small files.
    public func read(_ path: String) throws -> String {
        let fd = open(rootPath + "/" + path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Diagnostic.error("file.unreadable", "cannot read file '\(path)'") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw Diagnostic.error("file.unreadable", "cannot read file '\(path)'")
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var count = 0
        while true {
            if count == bytes.count { bytes += [UInt8](repeating: 0, count: bytes.count) }
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw Diagnostic.error("file.unreadable", "cannot read file '\(path)'") }
            if n == 0 { break }
            count += n
        }
        let hasBOM = count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        let body = bytes[(hasBOM ? 3 : 0)..<count]
        if let text = String(validating: body, as: UTF8.self) { return text }
        throw Self.notUTF8(body, path: path)
    }

    /// The error for a file that is not UTF-8, at the first byte that is not (read as Latin-1, `café`
    /// would otherwise become `caf\u{FFFD}` in names, descriptions and SQL without a word).
    static func notUTF8(_ body: ArraySlice<UInt8>, path: String) -> Diagnostic {
        let lossy = String(decoding: body, as: UTF8.self)
        var line = 1, column = 1
        for ch in lossy {
            if ch == "\u{FFFD}" { break }
            if ch == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return .error(
            "file.not-utf8", "'\(path)' is not UTF-8 text", at: SourceLocation(file: path, line: line, column: column),
            hint: "save the file as UTF-8")
    }

    public func fileExists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path)
    }

    public func files(under directory: String, extensions: Set<String>) -> [String] {
        let relativeBase = directory.isEmpty || directory == "." ? "" : directory
        var result: [String] = []
        walk(relativeBase, extensions: extensions, into: &result)
        return result.sorted()
    }

    public func subfolders(of directory: String) -> [String] {
        guard let dir = opendir(rootPath + "/" + directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            var info = stat()
            if stat(rootPath + "/" + directory + "/" + name, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                names.append(name)
            }
        }
        return names.sorted()
    }

    /// A recursive directory walk with readdir: FileManager's enumerator is an order of magnitude
    /// slower on projects of thousands of files. Hidden entries are skipped.
    private func walk(_ relative: String, extensions: Set<String>, into result: inout [String]) {
        let path = relative.isEmpty ? rootPath : rootPath + "/" + relative
        guard let dir = opendir(path) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            let child = relative.isEmpty ? name : relative + "/" + name
            var type = Int32(entry.pointee.d_type)
            if type == Int32(DT_UNKNOWN) || type == Int32(DT_LNK) {
                var info = stat()
                guard stat(rootPath + "/" + child, &info) == 0 else { continue }
                type = (info.st_mode & S_IFMT) == S_IFDIR ? Int32(DT_DIR) : Int32(DT_REG)
            }
            if type == Int32(DT_DIR) {
                walk(child, extensions: extensions, into: &result)
            } else if let dot = name.lastIndex(of: "."), extensions.contains(String(name[name.index(after: dot)...])) {
                result.append(child)
            }
        }
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
        let prefix =
            directory.isEmpty || directory == "." ? "" : (directory.hasSuffix("/") ? directory : directory + "/")
        return contents.keys.filter { path in
            path.hasPrefix(prefix) && extensions.contains(String(path.split(separator: ".").last ?? ""))
        }.sorted()
    }
}
