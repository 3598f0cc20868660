import Foundation
import ModelCompiler

/// Fetches packages for `sqlt deps`: hub packages from the mirror folder or the hub (JSON, then
/// the tarball), git repositories with a shallow `git clone`, tarballs over HTTP extracted with
/// `tar`, local folders in place. Everything downloaded goes to one temporary folder, fetched
/// once per run, and removed by `cleanUp()`.
actor PackageFetcher: PackageSource {
    let projectRoot: String
    let hub: PackageHub
    let renderer: PackageRenderer
    let downloads: String
    private var hubDocuments: [String: [String: JSONValue]] = [:]
    private var hubIndex: [String]?
    /// Checked-out or extracted folders, by what was asked for.
    private var folders: [String: (folder: String, revision: String?)] = [:]
    private var counter = 0
    private(set) var warnings: [String] = []

    init(projectRoot: String, hub: PackageHub, renderer: PackageRenderer) throws(Diagnostic) {
        self.projectRoot = projectRoot
        self.hub = hub
        self.renderer = renderer
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqlt-deps-\(UUID().uuidString)")
            .path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw Diagnostic.error("deps.downloads", "cannot create a downloads folder: \(error.localizedDescription)")
        }
        downloads = folder
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: downloads) }

    // MARK: - PackageSource

    func hubVersions(of name: String, requiredAt location: SourceLocation?) async throws -> [String] {
        let all = try await allHubVersions(of: name, requiredAt: location)
        let compatible = all.filter { DbtVersionRequirement.admits($0.requirement) }.map(\.version)
        if compatible.isEmpty, !all.isEmpty {
            throw Diagnostic.error(
                "deps.incompatible",
                "no version of \(name) supports dbt \(DbtVersionRequirement.compatibleDbtVersion) (its require-dbt-version); versions: \(all.map(\.version).joined(separator: ", "))",
                at: location)
        }
        return compatible
    }

    /// Every version with its `require-dbt-version`, from the mirror or the hub.
    private func allHubVersions(
        of name: String, requiredAt location: SourceLocation?
    ) async throws -> [(version: String, requirement: JSONValue?)] {
        if let versions = hub.mirrorVersions(name) {
            return versions.map { version in
                let file = hub.mirrorFolder(name, version: version).map { $0 + "/dbt_project.yml" }
                let text = file.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
                let requirement = text.flatMap { try? YAMLNode.parse($0, file: file!) }?["require-dbt-version"]?.json
                return (version, requirement)
            }
        }
        guard hub.usesHub else {
            let known = hub.mirrorPackages()
            throw Diagnostic.error(
                "deps.unknown-package", "package \(name) is not in the package mirror \(hub.mirror ?? "")",
                at: location,
                notes: [.init("the mirror holds: \(known.isEmpty ? "nothing" : known.joined(separator: ", "))")],
                hint: closestMatch(to: name, in: known).map { "did you mean '\($0)'?" })
        }
        let index = try await hubIndexList()
        guard index.contains(name) else {
            throw Diagnostic.error(
                "deps.unknown-package", "package \(name) was not found in the package hub at \(hub.hubURL)",
                at: location,
                hint: closestMatch(to: name, in: index).map { "did you mean '\($0)'?" })
        }
        return try await hubDocument(name).map { ($0.key, $0.value["require_dbt_version"]) }
    }

    func metadata(of pin: ResolvedPackage.Pin) async throws -> PackageMetadata {
        switch pin {
        case .hub(let name, let version, _):
            if let folder = hub.mirrorFolder(name, version: version) {
                let project = try PackageProject.read(folder: folder, label: folder + "/", renderer: renderer)
                return PackageMetadata(projectName: project.name, packages: project.requirements.packages, pin: pin)
            }
            let entry = try await hubVersion(name, version)
            guard let projectName = entry["name"]?.stringValue else {
                throw Diagnostic.error(
                    "deps.hub-response", "the package hub's entry for \(name)@\(version) has no 'name'")
            }
            let label = "\(hub.url(name)) (\(version))"
            var specs: [PackageSpec] = []
            if let packages = entry["packages"],
                let json = try? JSONEncoder().encode(JSONValue.object(["packages": packages]))
            {
                // JSON is YAML: the hub's list is read by the same checks as a packages.yml.
                specs = try PackagesFile.parse(
                    try YAMLNode.parse(String(decoding: json, as: UTF8.self), file: label), renderer: renderer)
            }
            return PackageMetadata(projectName: projectName, packages: specs, pin: pin)
        case .git(let url, let unrendered, let revision, let subdirectory, let warn):
            if warn, ["HEAD", "main", "master"].contains(revision) {
                warnings.append(
                    "the git package \(url) is not pinned (revision \(revision)): pin it to a tag or a commit for reproducible installs"
                )
            }
            let (folder, sha) = try checkout(url: url, revision: revision, subdirectory: subdirectory)
            let project = try PackageProject.read(folder: folder, label: "\(url)@\(sha.prefix(7))/", renderer: renderer)
            let pinned = ResolvedPackage.Pin.git(
                url: url, unrenderedURL: unrendered, revision: sha, subdirectory: subdirectory, warnUnpinned: warn)
            folders[Self.key(pinned)] = (folder, sha)
            return PackageMetadata(projectName: project.name, packages: project.requirements.packages, pin: pinned)
        case .local(let path):
            let folder = resolveLocal(path)
            let project = try PackageProject.read(
                folder: folder, label: path.hasSuffix("/") ? path : path + "/", renderer: renderer)
            return PackageMetadata(projectName: project.name, packages: project.requirements.packages, pin: pin)
        case .tarball(let url, _, let name):
            let folder = try await extractedTarball(url: url, key: Self.key(pin), name: name)
            let project = try PackageProject.read(folder: folder, label: "\(url)/", renderer: renderer)
            return PackageMetadata(projectName: name, packages: project.requirements.packages, pin: pin)
        }
    }

    // MARK: - Contents to install

    /// The folder holding a pinned package's files, and whether it is to be linked (local) rather than copied.
    func contents(of pin: ResolvedPackage.Pin) async throws -> (folder: String, link: Bool) {
        switch pin {
        case .hub(let name, let version, _):
            if let folder = hub.mirrorFolder(name, version: version) { return (folder, false) }
            let entry = try await hubVersion(name, version)
            guard let tarball = entry["downloads"]?["tarball"]?.stringValue else {
                throw Diagnostic.error(
                    "deps.hub-response", "the package hub's entry for \(name)@\(version) has no downloads.tarball")
            }
            return (try await extractedTarball(url: tarball, key: "hub \(name)@\(version)", name: name), false)
        case .git(let url, _, let revision, let subdirectory, _):
            if let found = folders[Self.key(pin)] { return (found.folder, false) }
            return (try checkout(url: url, revision: revision, subdirectory: subdirectory).folder, false)
        case .local(let path):
            return (resolveLocal(path), true)
        case .tarball(let url, _, let name):
            return (try await extractedTarball(url: url, key: Self.key(pin), name: name), false)
        }
    }

    // MARK: - Fetching

    /// A local path, relative to the root project as in dbt.
    func resolveLocal(_ path: String) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: projectRoot, isDirectory: true)).standardizedFileURL
            .path
    }

    private static func key(_ pin: ResolvedPackage.Pin) -> String {
        switch pin {
        case .hub(let name, let version, _): return "hub \(name)@\(version)"
        case .git(let url, _, let revision, let subdirectory, _): return "git \(url)@\(revision)/\(subdirectory ?? "")"
        case .local(let path): return "local \(path)"
        case .tarball(let url, _, _): return "tarball \(url)"
        }
    }

    private func nextFolder(_ prefix: String) -> String {
        counter += 1
        return downloads + "/\(prefix)-\(counter)"
    }

    private func hubIndexList() async throws(Diagnostic) -> [String] {
        if let hubIndex { return hubIndex }
        let list = try await hub.index()
        hubIndex = list
        return list
    }

    private func hubDocument(_ name: String) async throws(Diagnostic) -> [String: JSONValue] {
        if let document = hubDocuments[name] { return document }
        let document = try await hub.package(name)
        hubDocuments[name] = document
        return document
    }

    private func hubVersion(_ name: String, _ version: String) async throws -> [String: JSONValue] {
        let document = try await hubDocument(name)
        guard case .object(let entry)? = document[version] else {
            throw Diagnostic.error(
                "deps.unknown-version",
                "version \(version) of \(name) is not in the package hub; it has: \(document.keys.sorted().joined(separator: ", "))"
            )
        }
        return entry
    }

    /// A shallow clone at `revision` (a branch, a tag, a commit or `HEAD`); the folder (its
    /// `subdirectory` when given) and the commit checked out.
    private func checkout(
        url: String, revision: String, subdirectory: String?
    ) throws(Diagnostic) -> (folder: String, revision: String) {
        let cacheKey = "git \(url)@\(revision)/\(subdirectory ?? "")"
        if let found = folders[cacheKey] { return (found.folder, found.revision ?? revision) }
        let folder = nextFolder("git")
        let what = "cloning \(url) at \(revision)"
        let isCommit = revision.count == 40 && revision.allSatisfy(\.isHexDigit)
        if isCommit {
            try ToolProcess.run("git", ["init", "--quiet", folder], what: what)
            try ToolProcess.run("git", ["remote", "add", "origin", url], cwd: folder, what: what)
            do {
                try ToolProcess.run(
                    "git", ["fetch", "--quiet", "--depth", "1", "origin", revision], cwd: folder, what: what)
            } catch {
                try ToolProcess.run("git", ["fetch", "--quiet", "--tags", "origin"], cwd: folder, what: what)
            }
            try ToolProcess.run("git", ["checkout", "--quiet", "--detach", revision], cwd: folder, what: what)
        } else if revision == "HEAD" {
            try ToolProcess.run("git", ["clone", "--quiet", "--depth", "1", url, folder], what: what)
        } else {
            try ToolProcess.run(
                "git", ["clone", "--quiet", "--depth", "1", "--branch", revision, url, folder], what: what)
        }
        let sha = try ToolProcess.run("git", ["rev-parse", "HEAD"], cwd: folder, what: what).stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        var contents = folder
        if let subdirectory, !subdirectory.isEmpty {
            contents = folder + "/" + subdirectory
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: contents, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw Diagnostic.error(
                    "deps.git-subdirectory", "\(url) at \(revision) has no subdirectory '\(subdirectory)'")
            }
        }
        folders[cacheKey] = (contents, sha)
        return (contents, sha)
    }

    /// Downloads a `.tar.gz` and extracts it; the package is its one top-level folder.
    private func extractedTarball(url: String, key: String, name: String) async throws -> String {
        if let found = folders[key] { return found.folder }
        let data = try await PackageHTTP.get(url, what: "downloading \(name)")
        let folder = nextFolder("tarball")
        let archive = folder + ".tar.gz"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: archive))
        } catch {
            throw Diagnostic.error(
                "deps.download", "downloading \(name): cannot write \(archive): \(error.localizedDescription)")
        }
        try ToolProcess.run("tar", ["-xzf", archive, "-C", folder], what: "extracting \(url)")
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
            !$0.hasPrefix("._") && $0 != "pax_global_header"
        }
        var isDirectory: ObjCBool = false
        guard entries.count == 1,
            FileManager.default.fileExists(atPath: folder + "/" + entries[0], isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            throw Diagnostic.error(
                "deps.tarball-layout",
                "the tarball \(url) must hold one folder with the package inside (\(name)/<package files>); it holds \(entries.count) entries"
            )
        }
        let contents = folder + "/" + entries[0]
        folders[key] = (contents, nil)
        return contents
    }
}
