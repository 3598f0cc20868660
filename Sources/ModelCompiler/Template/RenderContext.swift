/// What a render sees: globals, callable macros, filters and tests.
public struct RenderContext: Sendable {
    /// Names visible to templates (`ref`, `source`, `config`, `var`, `this`, `target`, ...).
    public var globals: [String: TemplateValue]
    /// Names consulted after `globals`: the ones every render of a compile shares, kept apart so a
    /// render adds its own few names without copying them.
    public var sharedGlobals: [String: TemplateValue]
    /// Macros callable by name.
    public var macros: MacroLibrary
    /// Filters by name; starts with the built-in ones, add or replace as needed.
    public var filters: [String: TemplateFilter]
    /// Tests (`is name`) by name; starts with the built-in ones.
    public var tests: [String: TemplateIsTest]
    /// When true, printing or iterating an undefined name is an error instead of empty text.
    public var strictUndefined: Bool

    /// A context with the built-in filters and tests.
    public init(
        globals: [String: TemplateValue] = [:], sharedGlobals: [String: TemplateValue] = [:],
        macros: MacroLibrary = MacroLibrary(),
        strictUndefined: Bool = false
    ) {
        self.globals = globals
        self.sharedGlobals = sharedGlobals
        self.macros = macros
        self.filters = BuiltinFilters.all
        self.tests = TemplateIsTests.all
        self.strictUndefined = strictUndefined
    }

    /// A global by name: `globals` first, then `sharedGlobals`.
    public func global(_ name: String) -> TemplateValue? { globals[name] ?? sharedGlobals[name] }
}
