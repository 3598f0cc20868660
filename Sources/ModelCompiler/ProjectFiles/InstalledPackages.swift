/// One package installed under the project's `packages-install-path`, as dbt loads it: its own
/// project file, with every path relative to the root project's folder.
public struct InstalledPackage: Sendable {
    /// The package's project name (`dbt_utils`): its macro namespace and its nodes' `package_name`.
    public let name: String
    /// The folder it is installed in, relative to the root project (`dbt_packages/dbt_utils`).
    public let folder: String
    /// Its project file, with the paths below prefixed by `folder`.
    public let config: ProjectConfig

    /// `folder/path` for each of the package's paths.
    func paths(_ relative: [String]) -> [String] { relative.map { "\(folder)/\($0)" } }
    var macroPaths: [String] { paths(config.macroPaths) + paths(config.testPaths.map { $0 + "/generic" }) }
    var docsPaths: [String] { paths(config.docsPaths ?? config.modelPaths) }
}

/// The packages of a project: what is installed, checked against what `packages.yml` (or
/// `dependencies.yml`) asks for.
public struct InstalledPackages: Sendable {
    /// Installed packages, sorted by name so macros, nodes and diagnostics never vary.
    public let packages: [InstalledPackage]
    /// A requested package that is not installed is an error; unreadable package files too.
    public let diagnostics: [Diagnostic]

    /// Reads `packages-install-path` (default `dbt_packages`) from the root project file and each
    /// `<path>/<folder>/dbt_project.yml` below it.
    public static func discover(in fs: any ProjectFileSystem, project: ProjectConfig) -> InstalledPackages {
        var diagnostics: [Diagnostic] = []
        let installPath = Self.installPath(fs: fs, project: project)
        var packages: [InstalledPackage] = []
        var seen = Set<String>()
        let projectFiles = fs.subfolders(of: installPath).map { "\(installPath)/\($0)/dbt_project.yml" }.filter(
            fs.fileExists)
        for file in projectFiles {
            let folder = String(file.dropLast("/dbt_project.yml".count))
            guard let text = try? fs.read(file) else {
                diagnostics.append(.error("package.unreadable", "cannot read '\(file)'"))
                continue
            }
            let config: ProjectConfig
            do throws(DiagnosticsError) {
                config = try ProjectConfig.parse(text, file: file)
            } catch {
                diagnostics += error.diagnostics.filter { $0.severity == .error }
                continue
            }
            guard config.name != project.name, seen.insert(config.name).inserted else { continue }
            packages.append(InstalledPackage(name: config.name, folder: folder, config: config))
        }
        packages.sort { $0.name < $1.name }
        diagnostics += missing(fs: fs, installPath: installPath, installed: packages)
        return InstalledPackages(packages: packages, diagnostics: diagnostics)
    }

    /// The root project's `packages-install-path`, `dbt_packages` when it has none.
    static func installPath(fs: any ProjectFileSystem, project: ProjectConfig) -> String {
        guard let text = try? fs.read(project.file), let root = try? YAMLNode.parse(text, file: project.file),
            let path = root["packages-install-path"]?.string, !path.isEmpty
        else { return "dbt_packages" }
        var trimmed = Substring(path)
        while trimmed.hasPrefix("./") { trimmed = trimmed.dropFirst(2) }
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed.isEmpty ? "dbt_packages" : String(trimmed)
    }

    /// An error for each entry of `packages.yml` (or `dependencies.yml`) whose package is not
    /// installed, at the entry, asking for `sqlt deps`.
    static func missing(fs: any ProjectFileSystem, installPath: String, installed: [InstalledPackage]) -> [Diagnostic] {
        guard let file = ["packages.yml", "dependencies.yml"].first(where: { fs.fileExists($0) }),
            let text = try? fs.read(file), let root = try? YAMLNode.parse(text, file: file),
            let entries = root["packages"]?.items
        else { return [] }
        let names = Set(installed.map(\.name)),
            folders = Set(installed.map { $0.folder.split(separator: "/").last.map(String.init) ?? "" })
        var diagnostics: [Diagnostic] = []
        for entry in entries {
            guard let wanted = expectedNames(entry, fs: fs) else { continue }
            if wanted.contains(where: { names.contains($0) || folders.contains($0) }) { continue }
            diagnostics.append(
                .error(
                    "package.not-installed", "package '\(wanted[0])' of \(file) is not installed in \(installPath)/",
                    at: entry.location, hint: "run `sqlt deps` to install the packages"))
        }
        return diagnostics
    }

    /// The names an installed package of this entry may have: the project name of a local
    /// package, the last part of a hub name (`dbt-labs/dbt_utils`), a git repository's name, a
    /// tarball's `name:`. Nil for an entry that names nothing (reported by `sqlt deps`).
    static func expectedNames(_ entry: YAMLNode, fs: any ProjectFileSystem) -> [String]? {
        func last(_ text: String) -> String {
            var name = text
            while name.hasSuffix("/") { name.removeLast() }
            name = name.split(separator: "/").last.map(String.init) ?? name
            if name.hasSuffix(".git") { name = String(name.dropLast(4)) }
            return name
        }
        if let hub = entry["package"]?.string {
            return [last(hub), last(hub).replacingOccurrences(of: "-", with: "_")]
        }
        if let name = entry["name"]?.string { return [name] }
        if let git = entry["git"]?.string {
            let subdirectory = entry["subdirectory"]?.string.map(last)
            return [subdirectory, last(git), last(git).replacingOccurrences(of: "-", with: "_")].compactMap { $0 }
        }
        if let local = entry["local"]?.string {
            // An absolute folder is outside what the compiler reads; `sqlt deps` checks it.
            if local.hasPrefix("/") { return nil }
            var names = [last(local)]
            let projectFile = local.hasSuffix("/") ? "\(local)dbt_project.yml" : "\(local)/dbt_project.yml"
            if let text = try? fs.read(projectFile), let config = try? ProjectConfig.parse(text, file: projectFile) {
                names.insert(config.name, at: 0)
            }
            return names
        }
        if let tarball = entry["tarball"]?.string { return [last(tarball)] }
        return nil
    }
}
