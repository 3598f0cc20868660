/// One entry of `packages.yml` (or `dependencies.yml`, or a package's own `packages.yml`),
/// rendered, with the text it was written as (for the lock file and its hash) and where.
public struct PackageSpec: Hashable, Sendable {
    public enum Source: Hashable, Sendable {
        /// `package: org/name` with `version:` (one or a list of bounds).
        case hub(name: String, versions: [String], installPrerelease: Bool)
        /// `git: url` with an optional `revision:`, `subdirectory:` and `warn-unpinned:`.
        case git(url: String, revision: String?, subdirectory: String?, warnUnpinned: Bool?)
        /// `local: path`, relative to the root project.
        case local(path: String)
        /// `tarball: url` with `name:`.
        case tarball(url: String, name: String)
    }

    public var source: Source
    /// The entry's `name:` (required for tarballs, optional otherwise).
    public var name: String?
    /// The entry as written, before `{{ env_var(...) }}` was rendered.
    public var unrendered: JSONValue
    public var location: SourceLocation

    public init(source: Source, name: String? = nil, unrendered: JSONValue, location: SourceLocation) {
        self.source = source
        self.name = name
        self.unrendered = unrendered
        self.location = location
    }

    /// The key two requirements of one package share (dbt's `all_names`): the hub name, the git
    /// URL without `.git` plus the subdirectory, the local path, the tarball's name.
    public var key: String {
        switch source {
        case .hub(let name, _, _): return name
        case .git(let url, _, let subdirectory, _):
            let base = url.hasSuffix(".git") ? String(url.dropLast(4)) : url
            return subdirectory.map { "\(base)/\($0)" } ?? base
        case .local(let path): return path
        case .tarball(let url, _): return url
        }
    }

    /// `hub`, `git`, `local` or `tarball`.
    public var kind: String {
        switch source {
        case .hub: return "hub"
        case .git: return "git"
        case .local: return "local"
        case .tarball: return "tarball"
        }
    }

    /// What the entry names, for messages: `dbt-labs/dbt_utils`, a URL or a path.
    public var displayName: String {
        switch source {
        case .hub(let name, _, _): return name
        case .git(let url, _, let subdirectory, _): return subdirectory.map { "\(url)/\($0)" } ?? url
        case .local(let path): return path
        case .tarball(let url, _): return url
        }
    }

    /// The entry as dbt serialises its package contract (`to_dict()`), the input of the lock's `sha1_hash`.
    public var contractJSON: JSONValue {
        var object: [String: JSONValue] = ["unrendered": unrendered]
        switch source {
        case .hub(let name, let versions, let prerelease):
            object["package"] = .string(name)
            object["version"] = Self.versionJSON(unrendered: unrendered["version"], rendered: versions)
            object["install_prerelease"] = .bool(prerelease)
        case .git(let url, let revision, let subdirectory, let warnUnpinned):
            object["git"] = .string(url)
            object["revision"] = Self.scalarJSON(unrendered: unrendered["revision"], rendered: revision)
            object["subdirectory"] = subdirectory.map(JSONValue.string) ?? .null
            object["warn-unpinned"] = warnUnpinned.map(JSONValue.bool) ?? .null
        case .local(let path):
            object["local"] = .string(path)
        case .tarball(let url, let name):
            object["tarball"] = .string(url)
            object["name"] = .string(name)
        }
        // dbt leaves out a `name` that was not given; a tarball's is required and set above.
        if object["name"] == nil, let name { object["name"] = .string(name) }
        return .object(object)
    }

    /// The rendered version in the shape it was written: a list stays a list, and a number
    /// written as a version (`version: 1.0`) stays a number, as dbt keeps it.
    private static func versionJSON(unrendered: JSONValue?, rendered: [String]) -> JSONValue {
        switch unrendered {
        case .array(let items)? where items.count == rendered.count:
            return .array(zip(items, rendered).map { scalarJSON(unrendered: $0, rendered: $1) })
        case .array?:
            return .array(rendered.map(JSONValue.string))
        default:
            return rendered.count == 1
                ? scalarJSON(unrendered: unrendered, rendered: rendered[0]) : .array(rendered.map(JSONValue.string))
        }
    }

    private static func scalarJSON(unrendered: JSONValue?, rendered: String?) -> JSONValue {
        guard let rendered else { return .null }
        switch unrendered {
        case .int?, .double?: return unrendered!
        default: return .string(rendered)
        }
    }
}
