/// Macros callable by name during renders, built from all macro files of a project and its packages.
public struct MacroLibrary: Sendable {
    private var root: [String: MacroValue] = [:]
    private var namespaces: [String: [String: MacroValue]] = [:]
    private var namespaceObjects: [String: TemplateValue] = [:]
    /// The root project's name: `adapter.dispatch` searches it first, and its macros answer to it.
    public var rootPackage: String? = nil
    /// The root project's `dispatch:` setting: the packages `adapter.dispatch` searches, by macro namespace.
    public var dispatchSearchOrder: [String: [String]] = [:]
    /// Macros of installed packages by plain name, consulted after the root project's (dbt's
    /// order: the running macro's own package, the root project, other packages).
    private var packageMacros: [String: MacroValue] = [:]

    /// An empty library.
    public init() {}

    /// Registers every macro and test block of the file (later definitions win).
    public mutating func add(_ template: Template) {
        for (name, value) in template.macroValues { root[name] = value }
    }

    /// Registers the file's macros under a namespace, callable as `namespace.name(...)`.
    public mutating func add(_ template: Template, namespace: String) {
        var macros = namespaces[namespace, default: [:]]
        for (name, var value) in template.macroValues {
            value.namespace = namespace
            macros[name] = value
        }
        namespaces[namespace] = macros
        namespaceObjects[namespace] = .object(
            TemplateObject(
                name: "Namespace", attributes: macros.mapValues { .macro($0) }, text: namespace))
    }

    /// Registers the macros of an installed package: under its name (`dbt_utils.star`) and, after
    /// the root project's and the packages registered before, by their plain name.
    public mutating func add(_ template: Template, package: String) {
        add(template, namespace: package)
        guard let registered = namespaces[package] else { return }
        for name in template.macroValues.keys where packageMacros[name] == nil {
            packageMacros[name] = registered[name]
        }
    }

    /// The macro registered under `name` (`dbt_utils.star` for a namespaced one, `dbt.hash` for a
    /// built-in one); a plain name is a project macro first, then one of dbt's built-in macros.
    public func macro(named name: String) -> MacroValue? {
        if let m = projectMacro(named: name) { return m }
        if name.hasPrefix("dbt.") { return DbtBuiltinMacros.macro(named: String(name.dropFirst(4))) }
        return DbtBuiltinMacros.macro(named: name)
    }

    /// A macro of the project or of a package (`pkg.name`), never one of dbt's built-in macros.
    public func projectMacro(named name: String) -> MacroValue? {
        if let m = root[name] { return m }
        if let dot = name.firstIndex(of: ".") {
            return namespaces[String(name[..<dot])]?[String(name[name.index(after: dot)...])]
        }
        return packageMacros[name]
    }

    /// The macro `name` of one package as `adapter.dispatch` finds it: `dbt` is the built-in set,
    /// the root project's name its own macros; nil when the package has no such macro or is unknown.
    func macro(named name: String, inPackage package: String) -> MacroValue? {
        if package == DbtBuiltinMacros.namespace { return DbtBuiltinMacros.macro(named: name) }
        if let macros = namespaces[package] { return macros[name] }
        if package == rootPackage { return root[name] }
        return nil
    }

    /// Whether a package of that name is installed (registered as a namespace).
    func hasPackage(_ name: String) -> Bool { namespaces[name] != nil }

    /// A built-in macro or the `dbt` namespace, as templates see the name once nothing else has it.
    func builtinValue(named name: String) -> TemplateValue? {
        if name == DbtBuiltinMacros.namespace { return DbtBuiltinMacros.namespaceObject }
        return DbtBuiltinMacros.macro(named: name).map(TemplateValue.macro)
    }

    /// Names of all root macros.
    public var names: [String] { root.keys.sorted() }

    /// Names of all namespaces.
    public var namespaceNames: [String] { namespaces.keys.sorted() }

    /// A macro of a namespace by its name there.
    func macro(named name: String, inNamespace namespace: String) -> MacroValue? {
        namespaces[namespace]?[name]
    }

    /// A root macro or a namespace object, as templates see the name.
    func value(named name: String) -> TemplateValue? {
        if let m = root[name] { return .macro(m) }
        if let namespace = namespaceObjects[name] { return namespace }
        return packageMacros[name].map(TemplateValue.macro)
    }

    /// Calls a macro from Swift; returns its output as a string or the value given to `return()`.
    public func call(
        _ name: String, positional: [TemplateValue] = [], keyword: [String: TemplateValue] = [:], context: RenderContext
    ) throws(DiagnosticsError) -> TemplateValue {
        guard let macro = macro(named: name) ?? context.macros.macro(named: name) else {
            let hint = closestMatch(to: name, in: names).map { "did you mean '\($0)'?" }
            throw DiagnosticsError([.error("template.undefined", "macro '\(name)' is undefined", hint: hint)])
        }
        let renderer = TemplateRenderer(
            context: context, source: macro.definition.source, localMacros: [:], recordMap: false)
        do {
            return try renderer.callMacro(
                macro, positional: positional, keyword: keyword, keywordOrder: keyword.keys.sorted(), caller: nil,
                offset: macro.definition.offset, noteCallSite: false)
        } catch {
            throw TemplateRenderer.diagnostics(from: error, renderer: renderer)
        }
    }
}
