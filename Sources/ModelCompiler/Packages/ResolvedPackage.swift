/// A package pinned to one exact version, revision, path or URL: a line of `package-lock.yml`.
public struct ResolvedPackage: Hashable, Sendable {
    public enum Pin: Hashable, Sendable {
        /// A hub package at one version; `latest` is the highest installable one (for the update notice).
        case hub(name: String, version: String, latest: String?)
        /// A git repository at a commit SHA (or the revision asked for, before checkout).
        case git(url: String, unrenderedURL: String, revision: String, subdirectory: String?, warnUnpinned: Bool)
        case local(path: String)
        case tarball(url: String, unrenderedURL: String, name: String)
    }

    public var pin: Pin
    /// The `name:` of the package's own project file: the folder it is installed as.
    public var projectName: String

    public init(pin: Pin, projectName: String) {
        self.pin = pin
        self.projectName = projectName
    }

    /// The entry as dbt writes it in `package-lock.yml` (before sorting the keys).
    public var lockEntry: [(String, String)] {
        var entry: [(String, String)] = [("name", projectName)]
        switch pin {
        case .hub(let name, let version, _):
            entry += [("package", name), ("version", version)]
        case .git(_, let unrenderedURL, let revision, let subdirectory, _):
            entry += [("git", unrenderedURL), ("revision", revision)]
            if let subdirectory, !subdirectory.isEmpty { entry.append(("subdirectory", subdirectory)) }
        case .local(let path):
            entry.append(("local", path))
        case .tarball(_, let unrenderedURL, let name):
            entry = [("name", name), ("tarball", unrenderedURL)]
        }
        return entry.sorted { $0.0 < $1.0 }
    }

    /// `dbt_utils@1.3.3`-style text for messages.
    public var summary: String {
        switch pin {
        case .hub(let name, let version, _): return "\(name)@\(version)"
        case .git(let url, _, let revision, let subdirectory, _):
            return "\(url)\(subdirectory.map { "/" + $0 } ?? "")@\(revision)"
        case .local(let path): return "<local @ \(path)>"
        case .tarball(let url, _, _): return "tarball (url: \(url))"
        }
    }
}
