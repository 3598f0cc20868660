/// Configuration a package's generic test macro sets while it renders, as dbt reads it:
/// `{{ config(fail_calc='sum(row_count_delta)') }}` inside `test_fewer_rows_than` applies to every
/// test that runs the macro, below what the project and property files set.
extension CompiledProject {
    /// Renders each test whose macro comes from an installed package once more, recording its
    /// `config()` calls into the test's configuration where the test does not set the key itself.
    mutating func applyTestMacroConfigs() {
        let packages = Set(macros.namespaceNames).subtracting([config.name])
        let ids = manifest.nodes.compactMap { id, node -> String? in
            guard let test = node.testMetadata, let namespace = test.namespace, packages.contains(namespace),
                macros.macro(named: "\(namespace).test_\(test.name)") != nil
            else { return nil }
            return id
        }
        guard !ids.isEmpty else { return }
        let found: [(String, [(String, JSONValue)])] = { () -> [(String, [(String, JSONValue)])] in
            let project = self
            return parallelMap(ids) { id in
                let sink = RenderSink()
                _ = try? project.render(id, options: RenderOptions(), adapter: nil, sink: sink)
                return (id, sink.configs)
            }
        }()
        for (id, configs) in found {
            for (key, value) in configs where manifest.nodes[id]?.config[key] == nil {
                manifest.nodes[id]?.config[key] = value
            }
        }
    }
}
