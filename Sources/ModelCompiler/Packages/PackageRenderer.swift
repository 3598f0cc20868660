/// Renders the Jinja dbt allows in `packages.yml` values: `{{ env_var('NAME') }}` (with a
/// default) and `{{ var('name') }}` from `--vars`, with the template engine, text by text.
public struct PackageRenderer: Sendable {
    public var environment: [String: String]
    public var vars: [String: JSONValue]

    public init(environment: [String: String], vars: [String: JSONValue] = [:]) {
        self.environment = environment
        self.vars = vars
    }

    /// The plain value of a YAML node, every string rendered; errors point at the string.
    public func render(_ node: YAMLNode) throws(DiagnosticsError) -> JSONValue {
        switch node {
        case .scalar(.string(let text), let location): return .string(try render(text, at: location))
        case .scalar(let value, _): return value
        case .sequence(let items, _):
            var values: [JSONValue] = []
            for item in items { values.append(try render(item)) }
            return .array(values)
        case .mapping(let entries, _):
            var object: [String: JSONValue] = [:]
            for entry in entries { object[entry.key] = try render(entry.value) }
            return .object(object)
        }
    }

    /// One text with its `{{ }}` rendered.
    public func render(_ text: String, at location: SourceLocation) throws(DiagnosticsError) -> String {
        guard text.contains("{{") || text.contains("{%") else { return text }
        let environment = self.environment, vars = self.vars
        var context = RenderContext(strictUndefined: true)
        context.globals["env_var"] = .function(
            TemplateFunction(name: "env_var") { args in
                let name = args.positional.first?.description ?? ""
                if let value = environment[name] { return .string(value) }
                if args.positional.count > 1 { return args.positional[1] }
                if let value = args.keyword["default"] { return value }
                throw TemplateError("env var required but not provided: '\(name)'")
            })
        context.globals["var"] = .function(
            TemplateFunction(name: "var") { args in
                let name = args.positional.first?.description ?? ""
                if let value = vars[name] { return TemplateValue(value) }
                if args.positional.count > 1 { return args.positional[1] }
                if let value = args.keyword["default"] { return value }
                throw TemplateError("required var '\(name)' not found; pass --vars '{\(name): ...}'")
            })
        do {
            return try Template.parse(text, file: location.file).render(context)
        } catch {
            let messages = error.diagnostics.map(\.message).joined(separator: "; ")
            throw DiagnosticsError([.error("packages.render", "cannot render '\(text)': \(messages)", at: location)])
        }
    }
}
