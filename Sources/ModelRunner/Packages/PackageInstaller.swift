import Foundation
import ModelCompiler

/// Installs pinned packages into the project's `packages-install-path` all at once: every
/// package goes into a new folder beside it (local packages as a symlink, as dbt makes them,
/// others copied), and only when all are there does that folder replace the old one by rename.
/// A failed `sqlt deps` leaves the previous install as it was, never half a package.
struct PackageInstaller {
    let installPath: String

    /// One package to install: the folder name and where its files are.
    struct Item {
        var name: String
        var folder: String
        var link: Bool
    }

    func install(_ items: [Item]) throws(Diagnostic) {
        let target = URL(fileURLWithPath: installPath).standardizedFileURL
        let parent = target.deletingLastPathComponent().path
        let base = target.lastPathComponent
        let staging = parent + "/.\(base).sqlt-new-\(getpid())"
        let previous = parent + "/.\(base).sqlt-old-\(getpid())"
        let fm = FileManager.default
        Self.sweepLeftovers(parent: parent, base: base)
        do {
            try? fm.removeItem(atPath: staging)
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
        } catch {
            throw Diagnostic.error("deps.install", "cannot create \(staging): \(error.localizedDescription)")
        }
        do {
            for item in items {
                try Self.checkName(item.name, installPath: installPath)
                let destination = staging + "/" + item.name
                if item.link {
                    try fm.createSymbolicLink(atPath: destination, withDestinationPath: item.folder)
                } else {
                    try fm.copyItem(atPath: item.folder, toPath: destination)
                    Self.makeWritable(destination)
                }
            }
        } catch let diagnostic as Diagnostic {
            try? fm.removeItem(atPath: staging)
            throw diagnostic
        } catch {
            try? fm.removeItem(atPath: staging)
            throw Diagnostic.error(
                "deps.install", "cannot install the packages into \(installPath): \(error.localizedDescription)")
        }
        let hadPrevious =
            fm.fileExists(atPath: target.path) || (try? fm.destinationOfSymbolicLink(atPath: target.path)) != nil
        if hadPrevious, rename(target.path, previous) != 0 {
            let reason = String(cString: strerror(errno))
            try? fm.removeItem(atPath: staging)
            throw Diagnostic.error("deps.install", "cannot replace \(installPath): \(reason)")
        }
        if rename(staging, target.path) != 0 {
            let reason = String(cString: strerror(errno))
            if hadPrevious { _ = rename(previous, target.path) }
            try? fm.removeItem(atPath: staging)
            throw Diagnostic.error("deps.install", "cannot move the new packages into \(installPath): \(reason)")
        }
        if hadPrevious { try? fm.removeItem(atPath: previous) }
    }

    /// Removes the staging and old folders a killed `sqlt deps` left beside the install folder
    /// (those of processes that are no longer running).
    static func sweepLeftovers(parent: String, base: String) {
        let fm = FileManager.default
        for entry in (try? fm.contentsOfDirectory(atPath: parent)) ?? [] {
            for marker in [".\(base).sqlt-new-", ".\(base).sqlt-old-"] where entry.hasPrefix(marker) {
                guard let pid = Int32(entry.dropFirst(marker.count)), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH
                else { continue }
                try? fm.removeItem(atPath: parent + "/" + entry)
            }
        }
    }

    /// Gives the owner write permission on a copied tree (a mirror may be read-only), so the next
    /// `sqlt deps` can replace it.
    static func makeWritable(_ folder: String) {
        let fm = FileManager.default
        var paths = [folder]
        if let enumerator = fm.enumerator(atPath: folder) {
            while let relative = enumerator.nextObject() as? String { paths.append(folder + "/" + relative) }
        }
        for path in paths {
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFLNK else { continue }
            _ = chmod(path, (info.st_mode & 0o7777) | S_IWUSR)
        }
    }

    /// A package name is one folder inside the install path, as dbt requires.
    static func checkName(_ name: String, installPath: String) throws(Diagnostic) {
        if name.isEmpty || name == "." || name == ".." || name.contains("/") || name.contains("\0") {
            throw Diagnostic.error(
                "deps.package-name",
                "invalid package name '\(name)': it resolves outside of the packages-install-path ('\(installPath)')")
        }
    }
}
