/// What the resolver needs to know about packages it cannot see itself, answered by the runner
/// (a mirror folder, the hub over HTTP, git, tarballs, local folders); tests answer from memory.
public protocol PackageSource: Sendable {
    /// Every version of a hub package (`org/name`) the hub or mirror has; throws a diagnostic
    /// naming what exists when the package is unknown.
    func hubVersions(of name: String, requiredAt location: SourceLocation?) async throws -> [String]

    /// The project name and own requirements of a pinned package; a git pin may come back with
    /// its revision replaced by the commit it checked out.
    func metadata(of pin: ResolvedPackage.Pin) async throws -> PackageMetadata
}

/// A package's project `name:` and the entries of its own `packages.yml`.
public struct PackageMetadata: Sendable {
    public var projectName: String
    public var packages: [PackageSpec]
    /// The pin with what fetching it learned (a git branch or tag replaced by its commit).
    public var pin: ResolvedPackage.Pin

    public init(projectName: String, packages: [PackageSpec], pin: ResolvedPackage.Pin) {
        self.projectName = projectName
        self.packages = packages
        self.pin = pin
    }
}
