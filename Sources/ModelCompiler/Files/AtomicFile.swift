import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A file written through a temporary file beside it, then renamed over it: readers see the old
/// file or the new one, never half of one, and a failed write leaves the old one. Plain POSIX
/// calls: Foundation's atomic `Data.write` cost more than the SQL it wrote on runs of thousands of
/// models.
public struct AtomicFile {
    /// Makes temporary names unique within the process, even for one path written twice at once.
    private static let counter = Atomic<Int>(0)
    private let fd: Int32
    private let temporary: String

    /// Creates `path` from what `body` appends. With a secret registered (`SecretEnvVars`), the
    /// finished temporary file is read back and every secret in it masked before the rename, so a
    /// streamed artifact (the manifest) is scrubbed whole, whatever the chunks it was written in.
    public static func write(toFile path: String, _ body: (inout AtomicFile) throws -> Void) throws {
        try write(toFile: path, scrubbing: SecretEnvVars.hasSecrets, body)
    }

    private static func write(
        toFile path: String, scrubbing: Bool, _ body: (inout AtomicFile) throws -> Void
    ) throws {
        let temporary = path + ".tmp-\(getpid())-\(counter.add(1, ordering: .relaxed).newValue)"
        let fd = open(temporary, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        var file = AtomicFile(fd: fd, temporary: temporary)
        do {
            try body(&file)
            if scrubbing { try file.scrubSecrets() }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        guard close(fd) == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }

    /// Creates `path` holding `bytes`, every registered secret in them masked; `scrubbingSecrets:
    /// false` only for a file of the user's own that sqlt edits (`packages.yml`), never an artifact.
    public static func write(_ bytes: some Sequence<UInt8>, toFile path: String, scrubbingSecrets: Bool = true) throws {
        let contiguous = scrubbingSecrets ? SecretEnvVars.scrubbed(bytes: Array(bytes)) : Array(bytes)
        try write(toFile: path, scrubbing: false) { try $0.append(contiguous) }
    }

    /// Writes many files (the compiled or executed SQL of every node) on every core, each folder
    /// created once; when two entries share a path, the later one's text is written. A file that
    /// already holds exactly its text is left alone: a scheduled re-run writes the same SQL, and
    /// creating a new inode per file (the temporary file renamed over the old one) was a third
    /// of a 50-view re-run's CPU on ext4 (perf: `ext4_create`, `find_inode_bit`), where reading
    /// and comparing costs little.
    public static func writeFiles(_ files: [(path: String, text: String)]) throws {
        var unique: [(path: String, text: String)] = []
        var slots: [String: Int] = [:]
        var folders = Set<String>()
        for file in files {
            if let slot = slots[file.path] {
                unique[slot].text = file.text
                continue
            }
            slots[file.path] = unique.count
            unique.append(file)
            let folder = (file.path as NSString).deletingLastPathComponent
            if folders.insert(folder).inserted {
                removeFileInTheWay(of: folder)
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
        }
        let pending = unique
        let failures = Mutex<[any Error]>([])
        DispatchQueue.concurrentPerform(iterations: pending.count) { index in
            let bytes = Array(pending[index].text.utf8)
            if holds(bytes, atPath: pending[index].path) { return }
            do { try write(bytes, toFile: pending[index].path) } catch {
                failures.withLock { $0.append(error) }
            }
        }
        if let first = failures.withLock({ $0.first }) { throw first }
    }

    /// Whether `path` is a regular file holding exactly `bytes` (sizes first, then the bytes).
    static func holds(_ bytes: [UInt8], atPath path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, Int(status.st_size) == bytes.count
        else { return false }
        var current = [UInt8](repeating: 0, count: bytes.count)
        var offset = 0
        let complete = current.withUnsafeMutableBytes { raw -> Bool in
            while offset < raw.count {
                let n = read(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { return false }
                offset += n
            }
            return true
        }
        return complete && current == bytes
    }

    /// Deletes a regular file where `folder` or one of its parents must be a folder: an older
    /// sqlt wrote a property file's tests to one file `target/run/<project>/models/schema.yml`,
    /// where dbt's layout has a folder of one file per test.
    static func removeFileInTheWay(of folder: String) {
        var isFolder: ObjCBool = false
        var path = folder
        while !path.isEmpty, path != "/" {
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
                if !isFolder.boolValue { try? FileManager.default.removeItem(atPath: path) }
                return
            }
            path = (path as NSString).deletingLastPathComponent
        }
    }

    /// Reads the whole temporary file back and, when a secret occurs in it, writes it again masked.
    private func scrubSecrets() throws {
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0 else { return }
        var bytes = [UInt8](repeating: 0, count: Int(size))
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes {
                pread(fd, $0.baseAddress! + offset, $0.count - offset, off_t(offset))
            }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: temporary]) }
            offset += n
        }
        let scrubbed = SecretEnvVars.scrubbed(bytes: bytes)
        guard scrubbed != bytes else { return }
        guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
        }
        try append(scrubbed)
    }

    /// Appends bytes to the temporary file.
    public func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary]) }
                offset += n
            }
        }
    }
}
