import Foundation
import ModelCompiler

/// `sqlt deps`, as `dbt deps` runs: resolve the project's requirements into `package-lock.yml`
/// when there is no lock, when `--upgrade` asks, or when the requirements changed since the
/// lock was written (its `sha1_hash`); then install exactly what the lock lists.
public struct PackageDeps: Sendable {
    public var projectDir: String
    /// Re-resolve even when the lock matches the requirements.
    public var upgrade: Bool
    /// Write the lock only; install nothing.
    public var lockOnly: Bool
    public var vars: [String: JSONValue]
    public var environment: [String: String]
    /// `--add-package name@version` with `--source`: written into the packages file first.
    public var addPackage: (name: String, version: String?, source: PackagesFileEditor.Source)?

    public init(
        projectDir: String, upgrade: Bool = false, lockOnly: Bool = false, vars: [String: JSONValue] = [:],
        environment: [String: String],
        addPackage: (name: String, version: String?, source: PackagesFileEditor.Source)? = nil
    ) {
        self.projectDir = projectDir
        self.upgrade = upgrade
        self.lockOnly = lockOnly
        self.vars = vars
        self.environment = environment
        self.addPackage = addPackage
    }

    /// What a run did.
    public struct Outcome: Sendable {
        /// The packages of the lock, in its order.
        public var packages: [ResolvedPackage]
        /// Whether the lock file was (re)written.
        public var lockWritten: Bool
        /// Whether anything was installed (false with `--lock`).
        public var installed: Bool
    }

    /// Runs; `log` receives dbt-style progress lines, `warn` warnings.
    public func run(log: @Sendable (String) -> Void, warn: @Sendable (String) -> Void) async throws -> Outcome {
        let renderer = PackageRenderer(environment: environment, vars: vars)
        if let addPackage { try add(addPackage, log: log) }
        let root = try PackageProject.read(folder: projectDir, label: "", renderer: renderer)
        let fetcher = try PackageFetcher(
            projectRoot: projectDir, hub: PackageHub(environment: environment), renderer: renderer)
        do {
            let outcome = try await run(root: root, renderer: renderer, fetcher: fetcher, log: log, warn: warn)
            await fetcher.cleanUp()
            return outcome
        } catch {
            await fetcher.cleanUp()
            throw error
        }
    }

    /// Writes the `--add-package` entry into `dependencies.yml` when that file holds the packages, else `packages.yml`.
    private func add(
        _ package: (name: String, version: String?, source: PackagesFileEditor.Source), log: @Sendable (String) -> Void
    ) throws {
        if package.version == nil, package.source != .local {
            throw Diagnostic.error(
                "deps.add-package",
                "a version is required in --add-package when the source is \(package.source.rawValue)",
                hint: "write --add-package \(package.name)@VERSION")
        }
        let dependenciesPath = projectDir + "/" + PackagesFile.dependenciesFileName
        let dependencies = try? String(contentsOfFile: dependenciesPath, encoding: .utf8)
        let usesDependencies =
            try dependencies.map { text throws(DiagnosticsError) in
                try YAMLNode.parse(text, file: PackagesFile.dependenciesFileName)["packages"] != nil
            } ?? false
        let file = usesDependencies ? PackagesFile.dependenciesFileName : PackagesFile.packagesFileName
        let path = projectDir + "/" + file
        let edited = try PackagesFileEditor.adding(
            name: package.name, version: package.version, source: package.source,
            to: try? String(contentsOfFile: path, encoding: .utf8), file: file)
        for removed in edited.removed { log("Found duplicate package in \(file), removing: \(removed)") }
        do {
            try AtomicFile.write(Array(edited.text.utf8), toFile: path, scrubbingSecrets: false)
        } catch {
            throw Diagnostic.error("deps.add-package", "cannot write \(file): \(error.localizedDescription)")
        }
        log("Added new package \(package.name)\(package.version.map { "@" + $0 } ?? "") to \(path)")
    }

    private func run(
        root: PackageProject, renderer: PackageRenderer, fetcher: PackageFetcher, log: @Sendable (String) -> Void,
        warn: @Sendable (String) -> Void
    ) async throws -> Outcome {
        let specs = root.requirements.packages
        let hash = PackageLock.hash(of: specs)
        let lockPath = projectDir + "/" + PackageLock.fileName
        let resolver = PackageResolver(source: fetcher, rootProjectName: root.name)

        var lockWritten = false
        let lockText = try? String(contentsOfFile: lockPath, encoding: .utf8)
        let recorded = try lockText.map { text throws(DiagnosticsError) in
            PackageLock.recordedHash(in: try YAMLNode.parse(text, file: PackageLock.fileName))
        }
        var resolved: [ResolvedPackage]?
        if lockText == nil || upgrade || recorded != hash {
            if specs.isEmpty {
                log("No packages found in \(root.requirements.file)")
            } else {
                let packages = try await resolver.resolve(specs, requirer: root.requirements.file)
                do {
                    try AtomicFile.write(Array(PackageLock.text(packages: packages, hash: hash).utf8), toFile: lockPath)
                } catch {
                    throw Diagnostic.error(
                        "deps.lock", "cannot write \(PackageLock.fileName): \(error.localizedDescription)")
                }
                log("Updating lock file in file path: \(lockPath)")
                lockWritten = true
                resolved = packages
            }
        }
        for warning in await fetcher.warnings { warn(warning) }
        if lockOnly {
            return Outcome(packages: resolved ?? [], lockWritten: lockWritten, installed: false)
        }

        let installPath = URL(
            fileURLWithPath: root.installPath, relativeTo: URL(fileURLWithPath: projectDir, isDirectory: true)
        ).standardizedFileURL.path
        var locked: [PackageSpec] = []
        if let text = try? String(contentsOfFile: lockPath, encoding: .utf8), !specs.isEmpty || lockWritten {
            let node = try YAMLNode.parse(text, file: PackageLock.fileName)
            locked = try PackagesFile.parse(node, renderer: renderer, otherKeys: ["sha1_hash"])
        }
        if locked.isEmpty, !specs.isEmpty { log("No packages found in \(PackageLock.fileName)") }
        var items: [PackageInstaller.Item] = []
        var installed: [ResolvedPackage] = []
        for (pin, lockedName) in try await resolver.resolveLocked(locked, requirer: PackageLock.fileName) {
            // A lock written by an older dbt may leave out `name:`: the package's project file says it.
            let name = if let lockedName { lockedName } else { try await fetcher.metadata(of: pin).projectName }
            let package = ResolvedPackage(pin: pin, projectName: name)
            log("Installing \(package.displayName)")
            let contents = try await fetcher.contents(of: pin)
            items.append(PackageInstaller.Item(name: package.projectName, folder: contents.folder, link: contents.link))
            installed.append(package)
        }
        try PackageInstaller(installPath: installPath).install(items)
        var updatable: [String] = []
        for package in installed {
            log("Installed \(package.projectName) from \(package.versionDescription)")
            if case .hub(let name, let version, let latest?) = package.pin {
                log(latest == version ? "  Up to date!" : "  Updated version available: \(latest)")
                if latest != version { updatable.append(name) }
            }
        }
        if !updatable.isEmpty {
            log("")
            log("Updates available for packages: \(updatable.joined(separator: ", "))")
            log("Update your versions in \(root.requirements.file), then run sqlt deps")
        }
        return Outcome(packages: installed, lockWritten: lockWritten, installed: true)
    }
}

extension ResolvedPackage {
    /// `dbt-labs/dbt_utils`, a git URL, a local path or a tarball URL.
    var displayName: String {
        switch pin {
        case .hub(let name, _, _): return name
        case .git(let url, _, _, let subdirectory, _): return subdirectory.map { "\(url)/\($0)" } ?? url
        case .local(let path): return path
        case .tarball(let url, _, _): return url
        }
    }

    /// `version 1.3.3`, `revision <sha>`, `<local @ path>`, `tarball (url: ...)`, as dbt prints them.
    var versionDescription: String {
        switch pin {
        case .hub(_, let version, _): return "version \(version)"
        case .git(_, _, let revision, _, _): return "revision \(revision)"
        case .local(let path): return "<local @ \(path)>"
        case .tarball(let url, _, _): return "tarball (url: \(url))"
        }
    }
}
