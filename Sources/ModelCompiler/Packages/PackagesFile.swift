/// The package requirements of a project: `packages.yml`, or `dependencies.yml` (which may also
/// hold `projects:`), chosen with dbt's rules, each entry checked and rendered.
public struct PackagesFile: Sendable {
    /// The file the `packages:` list came from (`packages.yml` when neither has one).
    public var file: String
    public var packages: [PackageSpec]

    public static let packagesFileName = "packages.yml"
    public static let dependenciesFileName = "dependencies.yml"

    /// Picks the list as dbt does: `packages:` in both files is an error, `projects:` only belongs
    /// in `dependencies.yml`, and `dependencies.yml`'s `packages:` wins when it has one.
    /// `folder` (empty, or ending in `/`) prefixes the file names in diagnostics.
    public static func load(
        packagesText: String?, dependenciesText: String?, renderer: PackageRenderer, folder: String = ""
    ) throws(DiagnosticsError) -> PackagesFile {
        let packagesRoot = try packagesText.map { text throws(DiagnosticsError) in
            try YAMLNode.parse(text, file: folder + packagesFileName)
        }
        let dependenciesRoot = try dependenciesText.map { text throws(DiagnosticsError) in
            try YAMLNode.parse(text, file: folder + dependenciesFileName)
        }
        if let list = dependenciesRoot?["packages"], let other = packagesRoot?["packages"] {
            throw DiagnosticsError([
                .error(
                    "packages.both-files",
                    "the 'packages' key cannot be specified in both packages.yml and dependencies.yml",
                    at: list.location, notes: [.init("packages.yml has one here", at: other.location)])
            ])
        }
        if let projects = packagesRoot?["projects"] {
            throw DiagnosticsError([
                .error(
                    "packages.projects", "the 'projects' key cannot be specified in packages.yml",
                    at: projects.location,
                    hint: "move 'projects:' to dependencies.yml")
            ])
        }
        if let dependenciesRoot, dependenciesRoot["packages"] != nil {
            return PackagesFile(
                file: folder + dependenciesFileName,
                packages: try parse(dependenciesRoot, renderer: renderer, allowProjects: true))
        }
        guard let packagesRoot else { return PackagesFile(file: folder + packagesFileName, packages: []) }
        return PackagesFile(
            file: folder + packagesFileName, packages: try parse(packagesRoot, renderer: renderer, allowProjects: false)
        )
    }

    /// The entries of one file's root mapping (a package's own `packages.yml` too).
    /// `otherKeys` are top-level keys accepted besides `packages` (`sha1_hash` in a lock file).
    public static func parse(
        _ root: YAMLNode, renderer: PackageRenderer, allowProjects: Bool = false, otherKeys: Set<String> = []
    ) throws(DiagnosticsError) -> [PackageSpec] {
        if root.entries?.isEmpty ?? false { return [] }
        guard let entries = root.entries else {
            throw DiagnosticsError([
                .error(
                    "packages.invalid", "\(root.location.file) must be a mapping with a 'packages:' list",
                    at: root.location)
            ])
        }
        var errors: [Diagnostic] = []
        for entry in entries
        where entry.key != "packages" && !(allowProjects && entry.key == "projects") && !otherKeys.contains(entry.key) {
            errors.append(
                .error(
                    "packages.unknown-key", "unknown key '\(entry.key)' in \(root.location.file)",
                    at: entry.keyLocation, length: entry.key.count))
        }
        guard let list = root["packages"], !list.isNull else {
            if !errors.isEmpty { throw DiagnosticsError(errors) }
            return []
        }
        guard let items = list.items else {
            throw DiagnosticsError(
                errors + [.error("packages.invalid", "'packages' must be a list of package entries", at: list.location)]
            )
        }
        var specs: [PackageSpec] = []
        for item in items {
            do { specs.append(try PackageSpecParser.parse(item, renderer: renderer)) } catch {
                errors.append(contentsOf: error.diagnostics)
            }
        }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        return specs
    }
}
