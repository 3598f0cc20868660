/// Checks one `packages:` entry the way dbt's package contract does (one source key, only the
/// keys of that source, a namespaced hub name with a version) and renders its values.
enum PackageSpecParser {
    static let keys: [String: Set<String>] = [
        "package": ["package", "version", "install_prerelease", "install-prerelease", "name"],
        "git": ["git", "revision", "warn-unpinned", "subdirectory", "name"],
        "local": ["local", "name"],
        "tarball": ["tarball", "name"],
    ]

    static func parse(_ item: YAMLNode, renderer: PackageRenderer) throws(DiagnosticsError) -> PackageSpec {
        let location = item.location
        guard let entries = item.entries else {
            throw DiagnosticsError([
                .error(
                    "packages.invalid-entry",
                    "a package entry must be a mapping with 'package:', 'git:', 'local:' or 'tarball:'", at: location)
            ])
        }
        let sources = entries.filter { keys[$0.key] != nil || $0.key == "private" }
        guard let sourceEntry = sources.first else {
            throw DiagnosticsError([
                .error(
                    "packages.invalid-entry", "a package entry needs one of 'package:', 'git:', 'local:' or 'tarball:'",
                    at: location)
            ])
        }
        if sources.count > 1 {
            throw DiagnosticsError([
                .error(
                    "packages.invalid-entry", "a package entry has both '\(sources[0].key):' and '\(sources[1].key):'",
                    at: sources[1].keyLocation,
                    length: sources[1].key.count)
            ])
        }
        if sourceEntry.key == "private" {
            throw DiagnosticsError([
                .error(
                    "packages.private",
                    "'private:' packages need a git provider integration; use a 'git:' package instead",
                    at: sourceEntry.keyLocation, length: 7)
            ])
        }
        let allowed = keys[sourceEntry.key]!
        var errors: [Diagnostic] = []
        for entry in entries where !allowed.contains(entry.key) {
            let suggestion = closestMatch(to: entry.key, in: allowed.sorted())
            errors.append(
                .error(
                    "packages.unknown-key", "unknown key '\(entry.key)' in a '\(sourceEntry.key):' package",
                    at: entry.keyLocation,
                    length: entry.key.count, hint: suggestion.map { "did you mean '\($0)'?" }))
        }
        if !errors.isEmpty { throw DiagnosticsError(errors) }

        let unrendered = item.json
        func text(_ key: String, required: Bool = false) throws(DiagnosticsError) -> String? {
            guard let node = item[key], !node.isNull else {
                if required {
                    throw DiagnosticsError([
                        .error("packages.missing", "a '\(sourceEntry.key):' package needs '\(key):'", at: location)
                    ])
                }
                return nil
            }
            guard case .scalar(let value, let at) = node, let raw = node.string else {
                throw DiagnosticsError([.error("packages.invalid-value", "'\(key):' must be a text", at: node.location)]
                )
            }
            let rendered = if case .string = value { try renderer.render(raw, at: at) } else { raw }
            if required, rendered.isEmpty {
                throw DiagnosticsError([
                    .error("packages.missing", "'\(key):' of a package is empty", at: node.location)
                ])
            }
            return rendered
        }
        func flag(_ key: String) throws(DiagnosticsError) -> Bool? {
            guard let node = item[key], !node.isNull else { return nil }
            guard case .scalar(.bool(let value), _) = node else {
                throw DiagnosticsError([
                    .error("packages.invalid-value", "'\(key):' must be true or false", at: node.location)
                ])
            }
            return value
        }
        let name = try text("name")
        let source: PackageSpec.Source
        switch sourceEntry.key {
        case "package":
            let package = try text("package", required: true)!
            let parts = package.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
                throw DiagnosticsError([
                    .error(
                        "packages.hub-namespace",
                        "\(package) was not found in the package index: packages on the index need a namespace, for example dbt-labs/dbt_utils",
                        at: sourceEntry.value.location)
                ])
            }
            guard let versionNode = item["version"], !versionNode.isNull else {
                throw DiagnosticsError([
                    .error(
                        "packages.hub-version", "\(package) is missing the version: a hub package needs 'version:'",
                        at: location)
                ])
            }
            var versions: [String] = []
            for node in versionNode.items ?? [versionNode] {
                guard case .scalar(let value, let at) = node, let raw = node.string else {
                    throw DiagnosticsError([
                        .error(
                            "packages.invalid-version", "a version must be a text such as '1.3.3' or '>=1.0.0'",
                            at: node.location)
                    ])
                }
                let rendered = if case .string = value { try renderer.render(raw, at: at) } else { raw }
                let normalized = rendered.replacingOccurrences(of: " ", with: "")
                guard SemanticVersion(parsing: normalized) != nil else {
                    throw DiagnosticsError([
                        .error(
                            "packages.invalid-version", "'\(rendered)' is not a valid semantic version",
                            at: node.location,
                            hint: "write MAJOR.MINOR.PATCH, optionally after >=, >, <=, < or =")
                    ])
                }
                versions.append(normalized)
            }
            let underscored = try flag("install_prerelease")
            let dashed = try flag("install-prerelease")
            let prerelease = underscored ?? dashed ?? false
            source = .hub(name: package, versions: versions, installPrerelease: prerelease)
        case "git":
            source = .git(
                url: try text("git", required: true)!, revision: try text("revision"),
                subdirectory: try text("subdirectory"),
                warnUnpinned: try flag("warn-unpinned"))
        case "local":
            source = .local(path: try text("local", required: true)!)
        default:
            guard let name else {
                throw DiagnosticsError([.error("packages.missing", "a 'tarball:' package needs 'name:'", at: location)])
            }
            source = .tarball(url: try text("tarball", required: true)!, name: name)
        }
        return PackageSpec(source: source, name: name, unrendered: unrendered, location: location)
    }
}
