/// Resolves requirements into pinned packages as `dbt deps` does: every requirement of one
/// package (from the root project or from the packages it pulls in) is merged; hub version
/// ranges are intersected and the highest installable version inside is chosen; then each
/// pinned package's own `packages.yml` is read, until nothing new is required.
public struct PackageResolver: Sendable {
    /// Who asked for a requirement, for messages: `packages.yml` or `calogica/dbt_expectations@0.10.4`.
    public struct Requirement: Sendable {
        public var spec: PackageSpec
        public var requirer: String
    }

    public let source: any PackageSource
    /// The root project's name: a package with that name is an error, as in dbt.
    public let rootProjectName: String

    public init(source: any PackageSource, rootProjectName: String) {
        self.source = source
        self.rootProjectName = rootProjectName
    }

    /// The full, transitive resolution of the root requirements, in the order first required.
    public func resolve(_ specs: [PackageSpec], requirer: String) async throws -> [ResolvedPackage] {
        var listing = RequirementListing()
        var pending = specs.map { Requirement(spec: $0, requirer: requirer) }
        var fetched: [String: ResolvedPackage.Pin] = [:]
        var metadata: [String: PackageMetadata] = [:]
        while !pending.isEmpty {
            var next: [Requirement] = []
            for requirement in pending {
                let key = try listing.incorporate(requirement)
                let pin = try await pin(listing.requirements[key]!)
                if fetched[key] == pin { continue }
                fetched[key] = pin
                let found = try await source.metadata(of: pin)
                metadata[key] = found
                let requirer = ResolvedPackage(pin: found.pin, projectName: found.projectName).summary
                next += found.packages.map { Requirement(spec: $0, requirer: requirer) }
            }
            pending = next
        }
        var resolved: [ResolvedPackage] = []
        var seen: [String: ResolvedPackage] = [:]
        for key in listing.order {
            guard let found = metadata[key] else { continue }
            let package = ResolvedPackage(pin: found.pin, projectName: found.projectName)
            if found.projectName == rootProjectName {
                throw Diagnostic.error(
                    "packages.duplicate-root",
                    "package \(package.summary) has the same name as the root project, '\(rootProjectName)'",
                    at: listing.requirements[key]!.first!.spec.location)
            }
            if let other = seen[found.projectName] {
                throw Diagnostic.error(
                    "packages.duplicate-name",
                    "two packages are named '\(found.projectName)': \(other.summary) and \(package.summary)",
                    at: listing.requirements[key]!.first!.spec.location)
            }
            seen[found.projectName] = package
            resolved.append(package)
        }
        return resolved
    }

    /// The pins of a lock file's entries, without reading the packages' own requirements.
    public func resolveLocked(
        _ specs: [PackageSpec], requirer: String
    ) async throws -> [(pin: ResolvedPackage.Pin, name: String?)] {
        var listing = RequirementListing()
        for spec in specs { _ = try listing.incorporate(Requirement(spec: spec, requirer: requirer)) }
        var pins: [(pin: ResolvedPackage.Pin, name: String?)] = []
        for key in listing.order {
            let requirements = listing.requirements[key]!
            pins.append((try await pin(requirements), requirements.first!.spec.name))
        }
        return pins
    }

    /// One package's merged requirements as a pin.
    func pin(_ requirements: [Requirement]) async throws -> ResolvedPackage.Pin {
        let first = requirements[0].spec
        switch first.source {
        case .hub(let name, _, _):
            return try await hubPin(name: name, requirements)
        case .git(let url, _, let subdirectory, _):
            var revisions: [String] = []
            for requirement in requirements {
                if case .git(_, let revision?, _, _) = requirement.spec.source, !revisions.contains(revision) {
                    revisions.append(revision)
                }
            }
            if revisions.count > 1 {
                throw Diagnostic.error(
                    "packages.git-revisions",
                    "git package \(first.displayName) is required at several revisions: \(revisions.joined(separator: ", "))",
                    at: first.location, notes: Self.notes(requirements))
            }
            let warn = requirements.allSatisfy { requirement in
                if case .git(_, _, _, let warn) = requirement.spec.source { return warn != false }
                return true
            }
            let unrendered = first.unrendered["git"]?.stringValue ?? url
            return .git(
                url: url, unrenderedURL: unrendered, revision: revisions.first ?? "HEAD", subdirectory: subdirectory,
                warnUnpinned: warn)
        case .local(let path):
            return .local(path: path)
        case .tarball(let url, let name):
            let unrendered = first.unrendered["tarball"]?.stringValue ?? url
            return .tarball(url: url, unrenderedURL: unrendered, name: name)
        }
    }

    private func hubPin(name: String, _ requirements: [Requirement]) async throws -> ResolvedPackage.Pin {
        var specifiers: [SemanticVersion] = []
        var prerelease = false
        for requirement in requirements {
            guard case .hub(_, let versions, _) = requirement.spec.source else { continue }
            specifiers += versions.compactMap(SemanticVersion.init(parsing:))
        }
        // As in dbt, the first requirement's `install_prerelease` holds for the merged one.
        if case .hub(_, _, let allow) = requirements[0].spec.source { prerelease = allow }
        guard let range = VersionRange.reduce(specifiers) else {
            throw Diagnostic.error(
                "packages.version-conflict",
                "version error for package \(name): no version satisfies every requirement (\(specifiers.map(\.specifierText).joined(separator: ", ")))",
                at: requirements.last!.spec.location, notes: Self.notes(requirements))
        }
        let available = try await source.hubVersions(of: name, requiredAt: requirements[0].spec.location)
        let includePrerelease = prerelease || specifiers.contains { $0.prerelease != nil }
        let installable = VersionRange.installable(available, includePrerelease: includePrerelease)
        guard let target = range.highest(of: installable) else {
            let shown = installable.isEmpty ? available : installable
            throw Diagnostic.error(
                "packages.version-not-found",
                "no version of \(name) matches \(range); available: \(shown.isEmpty ? "none" : shown.joined(separator: ", "))",
                at: requirements[0].spec.location, notes: Self.notes(requirements))
        }
        return .hub(name: name, version: target, latest: installable.last)
    }

    static func notes(_ requirements: [Requirement]) -> [Diagnostic.Note] {
        requirements.map { requirement in
            let what: String
            switch requirement.spec.source {
            case .hub(_, let versions, _): what = versions.joined(separator: ", ")
            case .git(_, let revision, _, _): what = "revision \(revision ?? "HEAD")"
            default: what = requirement.spec.displayName
            }
            return .init("\(requirement.requirer) requires \(what)", at: requirement.spec.location)
        }
    }
}

/// Requirements grouped by package, in the order packages were first required.
struct RequirementListing {
    var order: [String] = []
    var requirements: [String: [PackageResolver.Requirement]] = [:]

    /// Adds a requirement; a package required from two kinds of source is an error.
    mutating func incorporate(_ requirement: PackageResolver.Requirement) throws -> String {
        let key = requirement.spec.key
        if let existing = requirements[key] {
            if existing[0].spec.kind != requirement.spec.kind {
                throw Diagnostic.error(
                    "packages.mismatched-source",
                    "\(requirement.spec.displayName) is required as a \(requirement.spec.kind) package and as a \(existing[0].spec.kind) package",
                    at: requirement.spec.location, notes: PackageResolver.notes(existing + [requirement]))
            }
            requirements[key]!.append(requirement)
        } else {
            order.append(key)
            requirements[key] = [requirement]
        }
        return key
    }
}
