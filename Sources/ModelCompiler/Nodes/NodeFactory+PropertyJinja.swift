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
            patch.config[key] = rendered(value, context, at: patch.location, native: true, &diagnostics)
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
        _ value: JSONValue, _ context: RenderContext, at location: SourceLocation, native: Bool = false,
        _ diagnostics: inout [Diagnostic]
    ) -> JSONValue {
        switch value {
        case .string(let text) where Self.hasJinja(text):
            do throws(DiagnosticsError) {
                let output = try Template.parse(text, file: location.file).render(context)
                return native ? .nativeRendered(output) : .string(output)
            } catch {
                diagnostics += error.diagnostics.map { d in
                    var copy = d
                    copy.location = location
                    return copy
                }
                return value
            }
        case .array(let items):
            return .array(items.map { rendered($0, context, at: location, native: native, &diagnostics) })
        case .object(let entries):
            return .object(entries.mapValues { rendered($0, context, at: location, native: native, &diagnostics) })
        default:
            return value
        }
    }
}

extension JSONValue {
    /// A config value rendered from Jinja, typed as dbt's native rendering types it: `True`/`False`
    /// are booleans, `None` is null, integers and decimals are numbers; anything else stays text
    /// (`enabled: "{{ target.type == 'postgres' }}"` is the boolean the schema requires).
    static func nativeRendered(_ text: String) -> JSONValue {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch trimmed {
        case "True": return .bool(true)
        case "False": return .bool(false)
        case "None": return .null
        default: break
        }
        if let int = Int(trimmed), trimmed.first != "+" { return .int(int) }
        let startsLikeANumber = trimmed.first?.isNumber == true || trimmed.first == "-"
        if startsLikeANumber, trimmed.contains("."), let double = Double(trimmed), double.isFinite {
            return .double(double)
        }
        return .string(text)
    }
}
