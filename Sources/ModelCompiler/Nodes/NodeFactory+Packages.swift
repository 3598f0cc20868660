/// Nodes of installed packages: each file belongs to the root project or to the package folder it
/// is in, which names its unique id (`model.<pkg>.<name>`), `package_name` and fqn; the package's
/// own `dbt_project.yml` configures it first, the root project's trees (`models: {pkg: {...}}`,
/// or top-level `+key` entries) win over it.
extension NodeFactory {
    /// The project a file belongs to: an installed package's (paths relative to the root project),
    /// else the root project's.
    func owner(of path: String) -> ProjectConfig {
        for package in packages where path.hasPrefix(package.folder + "/") { return package.rootedConfig }
        return project
    }

    /// The configuration of the project trees for a node of `type` at `fqn`: the node's package's
    /// tree, then the root project's on top.
    func treeConfig(_ type: ResourceType, fqn: [String]) -> NodeConfig {
        let root = renderingProjectJinja(ConfigTree(project.configTrees[type]).config(for: fqn))
        guard let name = fqn.first, name != project.name, let package = packages.first(where: { $0.name == name })
        else {
            return root
        }
        var config = renderingProjectJinja(ConfigTree(package.config.configTrees[type]).config(for: fqn))
        ConfigTree.merge(root, into: &config)
        return config
    }

    /// Project-file values written as Jinja (`+materialized: "{{ 'view' if target.name == 'ci' else
    /// 'table' }}"`) rendered as dbt renders dbt_project.yml, with `target`, `var` and `env_var`;
    /// hooks are left for the node's own render (they use `this`).
    func renderingProjectJinja(_ config: NodeConfig) -> NodeConfig {
        var out = config
        for (key, value) in config where !key.contains("hook") {
            guard case .string(let text) = value, text.contains("{{") || text.contains("{%") else { continue }
            guard let template = try? Template.parse(text, file: project.file),
                let rendered = try? template.render(RenderContext(globals: [:], sharedGlobals: globals, macros: macros))
            else { continue }
            out[key] = .nativeRendered(rendered.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return out
    }
}

extension InstalledPackage {
    /// The package's project file with every path relative to the root project.
    var rootedConfig: ProjectConfig {
        var config = self.config
        config.modelPaths = paths(config.modelPaths)
        config.seedPaths = paths(config.seedPaths)
        config.testPaths = paths(config.testPaths)
        config.macroPaths = paths(config.macroPaths)
        config.analysisPaths = paths(config.analysisPaths)
        config.snapshotPaths = paths(config.snapshotPaths)
        config.docsPaths = config.docsPaths.map(paths)
        return config
    }
}
