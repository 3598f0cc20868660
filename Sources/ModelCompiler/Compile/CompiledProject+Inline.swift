import Foundation

/// Rendering text that is no node of the project (`sqlt show --inline`, `sqlt run-operation`):
/// the full dbt context, with `ref` and `source` resolving any node (nothing to declare) and
/// ephemeral models inlined as CTEs.
extension CompiledProject {
    /// Renders `text` as a node of its own named after `file` (an operation: no `this`).
    public func renderInline(
        _ text: String, file: String, adapter: (any RuntimeAdapter)?, options: RenderOptions = RenderOptions()
    )
        throws(DiagnosticsError) -> String
    {
        let template = try Template.parse(text, file: file)
        let project = manifest.metadata.projectName
        let node = ManifestNode(
            uniqueId: "operation.\(project).inline", resourceType: .operation, name: "inline", packageName: project,
            path: file, originalFilePath: file, fqn: [project, "inline"], schema: "", alias: "inline", rawCode: text)
        let sink = RenderSink()
        let sql = try template.render(context(for: node, options: options, adapter: adapter, sink: sink))
        return try inlineEphemerals(sql, referenced: sink.ephemerals, options: options, adapter: adapter, depth: 0)
    }
}
