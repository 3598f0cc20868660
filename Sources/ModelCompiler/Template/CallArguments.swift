/// The arguments of a native call, with access back into the renderer.
public struct CallArguments: Sendable {
    /// Positional arguments in order.
    public var positional: [TemplateValue]
    /// Keyword arguments by name.
    public var keyword: [String: TemplateValue]
    /// Keyword argument names in source order.
    public var keywordOrder: [String]
    /// Where the call is written.
    public var location: SourceLocation
    /// The body of a `{% call %}` block, when the call comes from one.
    public var caller: TemplateValue?
    let environment: RenderEnvironment?

    /// Arguments for calling a native function directly from Swift.
    public init(
        positional: [TemplateValue] = [], keyword: [String: TemplateValue] = [:],
        location: SourceLocation = SourceLocation(file: "<native>", line: 1, column: 1), caller: TemplateValue? = nil
    ) {
        self.init(
            positional: positional, keyword: keyword, keywordOrder: keyword.keys.sorted(),
            location: location, caller: caller, environment: nil)
    }

    init(
        positional: [TemplateValue], keyword: [String: TemplateValue], keywordOrder: [String],
        location: SourceLocation, caller: TemplateValue?, environment: RenderEnvironment?
    ) {
        self.positional = positional
        self.keyword = keyword
        self.keywordOrder = keywordOrder
        self.location = location
        self.caller = caller
        self.environment = environment
    }

    /// The argument at a position, or passed by keyword `name`.
    public func argument(_ index: Int, _ name: String) -> TemplateValue? {
        if index < positional.count { return positional[index] }
        return keyword[name]
    }

    /// The argument as a string, or a `TemplateError` naming the function.
    public func string(_ index: Int, _ name: String, of function: String) throws -> String {
        guard let value = argument(index, name) else {
            throw TemplateError("\(function)() missing required argument '\(name)'")
        }
        guard case .string(let s) = value else {
            throw TemplateError("\(function)() argument '\(name)' must be a string, not \(value.typeName)")
        }
        return s
    }

    /// Calls a function, macro or callable object with arguments (usable from native code).
    public func call(
        _ callee: TemplateValue, _ positional: [TemplateValue] = [], keyword: [String: TemplateValue] = [:]
    ) throws -> TemplateValue {
        guard let environment else { throw TemplateError("cannot call '\(callee.typeName)' outside a render") }
        return try environment.call(callee, positional, keyword, location)
    }

    /// Applies a filter by name (usable from native code).
    public func applyFilter(
        _ name: String, to value: TemplateValue, _ arguments: [TemplateValue] = []
    ) throws -> TemplateValue {
        guard let environment else { throw TemplateError("no filter '\(name)' outside a render") }
        return try environment.filter(name, value, arguments, location)
    }

    /// A macro by plain name as the calling template resolves it (nil outside a render).
    func macro(named name: String) -> MacroValue? { environment?.macro(name) }

    /// The macros of the calling render (nil outside a render).
    var macros: MacroLibrary? { environment?.macros }

    /// Applies a test by name (usable from native code).
    public func applyTest(_ name: String, to value: TemplateValue, _ arguments: [TemplateValue] = []) throws -> Bool {
        guard let environment else { throw TemplateError("no test '\(name)' outside a render") }
        return try environment.test(name, value, arguments, location)
    }
}

/// Callbacks into the running renderer that native code may use.
struct RenderEnvironment: Sendable {
    let call:
        @Sendable (TemplateValue, [TemplateValue], [String: TemplateValue], SourceLocation) throws -> TemplateValue
    let filter: @Sendable (String, TemplateValue, [TemplateValue], SourceLocation) throws -> TemplateValue
    let test: @Sendable (String, TemplateValue, [TemplateValue], SourceLocation) throws -> Bool
    /// A macro by plain name, as the running template resolves it.
    let macro: @Sendable (String) -> MacroValue?
    /// The macros of the render.
    let macros: MacroLibrary
}
