/// dbt's built-in macros as sqlt writes them for PostgreSQL (`Resources/dbt_macros/*.sql`): in the
/// `dbt` namespace (`dbt.dateadd(...)`) and by plain name after every project and package macro.
/// Each public macro goes through `adapter.dispatch`, so a project or package `postgres__<name>` or
/// `default__<name>` replaces sqlt's. The files are parsed once per process, on first use: a
/// project that never calls one of them never parses them.
enum DbtBuiltinMacros {
    /// The namespace the built-in macros answer to.
    static let namespace = "dbt"

    /// The resource folder holding the macro files.
    static let folder = "dbt_macros/"

    /// Every built-in macro by name, parsed on first use.
    static let macros: [String: MacroValue] = {
        var macros: [String: MacroValue] = [:]
        for path in EmbeddedResources.files.keys.sorted() where path.hasPrefix(folder) && path.hasSuffix(".sql") {
            guard let text = EmbeddedResources.files[path] else { continue }
            do throws(DiagnosticsError) {
                let template = try Template.parse(text, file: "<sqlt built-in macros>/\(path.dropFirst(folder.count))")
                for (name, value) in template.macroValues { macros[name] = value }
            } catch {
                // The files ship with sqlt and a test parses every one; a broken one is a sqlt bug.
                preconditionFailure("built-in macro file \(path) does not parse: \(error.diagnostics.map(\.message))")
            }
        }
        return macros
    }()

    /// The `dbt` namespace object: every built-in macro as an attribute.
    static let namespaceObject: TemplateValue = .object(
        TemplateObject(
            name: "Namespace", attributes: macros.mapValues { .macro($0) }, text: namespace))

    /// A built-in macro by name.
    static func macro(named name: String) -> MacroValue? { macros[name] }

    /// Names of all built-in macros, sorted.
    static var names: [String] { macros.keys.sorted() }
}
