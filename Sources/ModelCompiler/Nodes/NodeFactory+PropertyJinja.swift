/// Jinja in property files, rendered while parsing as dbt renders schema files: every text value of
/// a model's or seed's `config` (seed `column_types` among them) and each column's `data_type`, with
/// `var()`, `env_var()` and `target`. Descriptions are rendered with `doc()` apart; test arguments
/// when the test compiles; hooks when their node runs.
extension NodeFactory {
    /// Config keys whose Jinja runs later, in the node's own context.
    static let lateRenderedKeys: Set<String> = ["pre_hook", "post_hook", "pre-hook", "post-hook"]

    /// The patch with its config values and column data types rendered.
    func renderingJinja(in patch: NodePatch, _ diagnostics: inout [Diagnostic]) -> NodePatch {
        guard Self.holdsJinja(patch) else { return patch }
        var patch = patch
        let context = parseContext
        for (key, value) in patch.config where !Self.lateRenderedKeys.contains(key) {
            patch.config[key] = rendered(value, context, at: patch.location, &diagnostics)
        }
        for index in patch.columns.indices {
            if let type = patch.columns[index].info.dataType, Self.hasJinja(type) {
                patch.columns[index].info.dataType =
                    rendered(.string(type), context, at: patch.columns[index].location, &diagnostics).stringValue
            }
        }
        return patch
    }

    static func hasJinja(_ text: String) -> Bool {
        text.utf8.contains(UInt8(ascii: "{")) && (text.contains("{{") || text.contains("{%"))
    }

    /// Whether any value the render would touch holds Jinja (most patches hold none: nothing to do).
    static func holdsJinja(_ patch: NodePatch) -> Bool {
        func holds(_ value: JSONValue) -> Bool {
            switch value {
            case .string(let s): return hasJinja(s)
            case .array(let items): return items.contains(where: holds)
            case .object(let entries): return entries.values.contains(where: holds)
            default: return false
            }
        }
        return patch.config.contains { !lateRenderedKeys.contains($0.key) && holds($0.value) }
            || patch.columns.contains { $0.info.dataType.map(hasJinja) == true }
    }

    func rendered(
        _ value: JSONValue, _ context: RenderContext, at location: SourceLocation, _ diagnostics: inout [Diagnostic]
    ) -> JSONValue {
        switch value {
        case .string(let text) where Self.hasJinja(text):
            do throws(DiagnosticsError) {
                return .string(try Template.parse(text, file: location.file).render(context))
            } catch {
                diagnostics += error.diagnostics.map { d in
                    var copy = d
                    copy.location = location
                    return copy
                }
                return value
            }
        case .array(let items):
            return .array(items.map { rendered($0, context, at: location, &diagnostics) })
        case .object(let entries):
            return .object(entries.mapValues { rendered($0, context, at: location, &diagnostics) })
        default:
            return value
        }
    }
}
