import Foundation
import ModelCompiler

/// What `sqlt deps` reads of a project folder (the root one or a package's): the `name:` and
/// `packages-install-path` of its project file and its package requirements.
struct PackageProject: Sendable {
    var name: String
    var installPath: String
    var requirements: PackagesFile

    /// Reads `folder`; `label` (empty for the root project) prefixes file names in diagnostics.
    static func read(
        folder: String, label: String, renderer: PackageRenderer
    ) throws(DiagnosticsError) -> PackageProject {
        guard
            let file = ProjectConfig.fileNames.first(where: {
                FileManager.default.fileExists(atPath: folder + "/" + $0)
            }),
            let text = try? String(contentsOfFile: folder + "/" + file, encoding: .utf8)
        else {
            throw DiagnosticsError([
                .error(
                    "deps.no-project",
                    "\(label.isEmpty ? "the project folder" : label) has no dbt_project.yml or sqlt_project.yml",
                    hint: label.isEmpty ? "run sqlt deps from the project folder or pass --project-dir" : nil)
            ])
        }
        let root = try YAMLNode.parse(text, file: label + file)
        guard let name = root["name"]?.string, !name.isEmpty else {
            throw DiagnosticsError([.error("deps.no-name", "\(label + file) has no 'name'", at: root.location)])
        }
        let installPath = root["packages-install-path"]?.string ?? "dbt_packages"
        let requirements = try PackagesFile.load(
            packagesText: try? String(contentsOfFile: folder + "/" + PackagesFile.packagesFileName, encoding: .utf8),
            dependenciesText: try? String(
                contentsOfFile: folder + "/" + PackagesFile.dependenciesFileName, encoding: .utf8),
            renderer: renderer, folder: label)
        return PackageProject(name: name, installPath: installPath, requirements: requirements)
    }
}
