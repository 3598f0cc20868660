/// Compile-time introspection as dbt does it: the project is parsed and first rendered with
/// `execute = false` (no connection); `sqlt compile` then renders the selected nodes again with a
/// connection, so macros that query the database (`dbt_utils.star`, `get_column_values`,
/// `union_relations`) write the SQL they would run.
extension CompiledProject {
    /// Renders `ids` (models, analyses, tests) with `adapter` and records their `compiled_code`.
    /// Returns the errors, in unique-id order.
    public mutating func renderWithConnection(_ ids: [String], adapter: any RuntimeAdapter) -> [Diagnostic] {
        var errors: [Diagnostic] = []
        for id in ids.sorted() {
            guard let node = manifest.nodes[id] else { continue }
            switch node.resourceType {
            case .model, .analysis, .test: break
            default: continue
            }
            do throws(DiagnosticsError) {
                let sql = try render(id, options: RenderOptions(), adapter: adapter)
                manifest.nodes[id]?.compiledCode = sql
            } catch {
                errors += error.diagnostics
            }
        }
        return errors
    }
}
