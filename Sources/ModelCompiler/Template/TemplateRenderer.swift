/// Raised by `return(x)` to end the innermost macro with a value.
struct MacroReturn: Error {
    let value: TemplateValue
    let offset: Int
    let source: TemplateSource
}

/// Raised by `{% break %}` and `{% continue %}`; caught by the innermost loop.
struct LoopControl: Error {
    let isBreak: Bool
    let offset: Int
    let source: TemplateSource
}

/// Walks a syntax tree and appends to one output buffer. One renderer serves one render call, on one thread;
/// it is marked `@unchecked Sendable` only so native functions can call back into it during that call.
final class TemplateRenderer: @unchecked Sendable {
    let context: RenderContext
    /// Macros defined in the template being rendered.
    let localMacros: [String: MacroValue]
    var output = ""
    /// Source map segments, when recording.
    var segments: [SourceMap.Segment]? = nil
    /// Greater than zero while output is captured (macro bodies, set blocks): not mapped.
    var captureDepth = 0
    var scopes: [[String: TemplateValue]] = [[:]]
    /// The template whose nodes are being rendered (changes inside macro calls).
    var source: TemplateSource
    var callDepth = 0
    static let maximumCallDepth = 250
    /// The stack this render may use, on the thread it runs on.
    let stack = StackGuard()
    /// The template being rendered: its own macros also see its top-level variables, like in Jinja.
    let rootSource: TemplateSource
    /// The namespace of the package macro being run, if any.
    var namespace: String?
    /// The top-level variables as they were when the outermost macro call started.
    var rootScope: [String: TemplateValue] = [:]

    init(context: RenderContext, source: TemplateSource, localMacros: [String: MacroValue], recordMap: Bool) {
        self.context = context
        self.source = source
        self.rootSource = source
        self.localMacros = localMacros
        if recordMap { segments = [] }
    }

    // MARK: errors

    /// The error when the thread's stack is nearly used up (deep recursion inside nested blocks).
    func stackExhausted(at offset: Int) -> Diagnostic {
        diagnostic(
            "template nested too deeply: macro calls, blocks and expressions use up the stack (macro depth \(callDepth))",
            at: offset, id: "template.limit")
    }

    func diagnostic(_ message: String, at offset: Int, id: String = "template.render", length: Int = 1) -> Diagnostic {
        .error(id, message, at: source.location(offset), length: length)
    }

    /// Turns an error of native code into a diagnostic at `offset` (diagnostics pass through unchanged).
    func convert(_ error: any Error, at offset: Int, id: String = "template.call") -> any Error {
        switch error {
        case let e as TemplateError: return diagnostic(e.message, at: offset, id: id)
        case is Diagnostic, is DiagnosticsError, is MacroReturn, is LoopControl: return error
        default: return diagnostic("\(error)", at: offset, id: id)
        }
    }

    /// Callbacks for native functions.
    lazy var environment: RenderEnvironment = {
        RenderEnvironment(
            call: { [weak self] callee, positional, keyword, location in
                guard let self else { throw TemplateError("cannot call '\(callee.typeName)' after the render ended") }
                return try self.call(
                    callee, positional: positional, keyword: keyword, keywordOrder: keyword.keys.sorted(),
                    caller: nil, offset: nil, location: location)
            },
            filter: { [weak self] name, value, args, location in
                guard let self else { throw TemplateError("cannot apply filter '\(name)' after the render ended") }
                guard let filter = self.context.filters[name] else { throw TemplateError("no filter named '\(name)'") }
                return try filter.body(
                    value, self.arguments(args, [:], [], caller: nil, offset: nil, location: location))
            },
            test: { [weak self] name, value, args, location in
                guard let self else { throw TemplateError("cannot apply test '\(name)' after the render ended") }
                guard let test = self.context.tests[name] else { throw TemplateError("no test named '\(name)'") }
                return try test.body(value, self.arguments(args, [:], [], caller: nil, offset: nil, location: location))
            },
            macro: { [weak self] name in self?.lookupMacro(name) },
            macros: context.macros)
    }()

    func arguments(
        _ positional: [TemplateValue], _ keyword: [String: TemplateValue], _ order: [String], caller: TemplateValue?,
        offset: Int?, location: SourceLocation? = nil
    ) -> CallArguments {
        CallArguments(
            positional: positional, keyword: keyword, keywordOrder: order,
            location: location ?? source.location(offset ?? 0), caller: caller, environment: environment)
    }

    // MARK: scopes

    func lookup(_ name: String) -> TemplateValue? {
        var i = scopes.count - 1
        while i >= 0 {
            if let v = scopes[i][name] { return v }
            i -= 1
        }
        if source === rootSource, let m = localMacros[name] { return .macro(m) }
        if let namespace, let m = context.macros.macro(named: name, inNamespace: namespace) { return .macro(m) }
        if let m = context.macros.value(named: name) { return m }
        if let g = context.global(name) { return g }
        if let g = BuiltinGlobals.values[name] { return g }
        return context.macros.builtinValue(named: name)
    }

    /// A macro by plain name as dbt's macro namespace resolves it (this file, the running package,
    /// the project, dbt's built-ins); variables and globals are not macros.
    func lookupMacro(_ name: String) -> MacroValue? {
        if source === rootSource, let m = localMacros[name] { return m }
        if let namespace, let m = context.macros.macro(named: name, inNamespace: namespace) { return m }
        if case .macro(let m)? = context.macros.value(named: name) { return m }
        if case .macro(let m)? = context.macros.builtinValue(named: name) { return m }
        return nil
    }

    func assign(_ name: String, _ value: TemplateValue) {
        scopes[scopes.count - 1][name] = value
    }

    /// Stores values into an assignment target, unpacking tuples.
    func assign(_ target: AssignTarget, _ value: TemplateValue, offset: Int) throws {
        switch target {
        case .name(let n):
            assign(n, value)
        case .attribute(let base, let attr, let attrOffset):
            guard case .dict(let d)? = lookup(base), d.isNamespace else {
                throw diagnostic("cannot assign attribute on non-namespace object '\(base)'", at: attrOffset)
            }
            d[attr] = value
        case .tuple(let targets):
            guard let items = value.iterationItems, case .list = value else {
                throw diagnostic("cannot unpack non-sequence \(value.typeName)", at: offset)
            }
            guard items.count == targets.count else {
                let message =
                    items.count > targets.count
                    ? "too many values to unpack (expected \(targets.count))"
                    : "not enough values to unpack (expected \(targets.count), got \(items.count))"
                throw diagnostic(message, at: offset)
            }
            for (t, v) in zip(targets, items) { try assign(t, v, offset: offset) }
        }
    }

    // MARK: output

    /// Appends to the output; an error at the printing node when the output would pass the size limit.
    func write(_ text: String, templateOffset: Int, linear: Bool) throws {
        let bytes = output.utf8.count + text.utf8.count
        if bytes > TemplateLimits.maximumTextBytes {
            throw diagnostic(TemplateLimits.textTooLarge(bytes).message, at: templateOffset, id: "template.limit")
        }
        if captureDepth == 0, segments != nil, !text.isEmpty {
            segments!.append(
                SourceMap.Segment(
                    outputStart: output.utf8.count, length: text.utf8.count, templateOffset: templateOffset,
                    linear: linear))
        }
        output += text
    }

    /// Renders nodes into a separate buffer and returns what they printed.
    func capture(_ body: () throws -> Void) rethrows -> String {
        let saved = output
        output = ""
        captureDepth += 1
        defer {
            captureDepth -= 1
            output = saved
        }
        try body()
        return output
    }

    /// Text printed for a value in `{{ }}`.
    func printed(_ value: TemplateValue, offset: Int) throws -> String {
        if case .undefined(let reason) = value, context.strictUndefined {
            throw diagnostic(reason, at: offset, id: "template.undefined")
        }
        return value.description
    }

    // MARK: nodes

    func render(_ nodes: [Node]) throws {
        for node in nodes { try render(node) }
    }

    func render(_ node: Node) throws {
        switch node {
        case .text(let text, let offset):
            try write(text, templateOffset: offset, linear: true)
        case .output(let expr):
            let value = try evaluate(expr)
            try write(try printed(value, offset: expr.start), templateOffset: expr.start, linear: false)
        case .ifBlock(let n): try renderIf(n)
        case .forLoop(let n): try renderFor(n)
        case .set(let n): try renderSet(n)
        case .setBlock(let n): try renderSetBlock(n)
        case .macro(let definition):
            // a macro defined inside a loop, block or another macro closes over the variables it sees
            let nested = scopes.count > 1 || source !== rootSource
            assign(definition.name, .macro(MacroValue(definition: definition, closure: nested ? scopes : nil)))
        case .callBlock(let n): try renderCallBlock(n)
        case .filterBlock(let n): try renderFilterBlock(n)
        case .do(let expr): _ = try evaluate(expr)
        case .docs: break
        case .snapshot(_, let body): try render(body)
        case .loopControl(let isBreak, let offset): throw LoopControl(isBreak: isBreak, offset: offset, source: source)
        }
    }

    // MARK: calls

    /// Calls a function, macro or callable object.
    func call(
        _ callee: TemplateValue, positional: [TemplateValue], keyword: [String: TemplateValue], keywordOrder: [String],
        caller: TemplateValue?, offset: Int?, location: SourceLocation? = nil
    ) throws -> TemplateValue {
        let at = offset ?? 0
        switch callee {
        case .function(let f):
            do {
                return try f.body(
                    arguments(positional, keyword, keywordOrder, caller: caller, offset: offset, location: location))
            } catch {
                throw convert(error, at: at)
            }
        case .object(let o):
            guard let f = o.call else { throw diagnostic("'\(o.name)' object is not callable", at: at) }
            return try call(
                .function(f), positional: positional, keyword: keyword, keywordOrder: keywordOrder,
                caller: caller, offset: offset, location: location)
        case .macro(let m):
            return try callMacro(
                m, positional: positional, keyword: keyword, keywordOrder: keywordOrder,
                caller: caller, offset: at, noteCallSite: offset != nil)
        case .undefined(let reason):
            throw diagnostic(reason, at: at, id: "template.undefined")
        default:
            throw diagnostic("'\(callee.typeName)' object is not callable", at: at)
        }
    }

    /// Runs a macro body in a fresh scope and returns its output, or the value given to `return()`.
    func callMacro(
        _ macro: MacroValue, positional: [TemplateValue], keyword: [String: TemplateValue], keywordOrder: [String],
        caller: TemplateValue?, offset: Int, noteCallSite: Bool = true
    ) throws -> TemplateValue {
        let def = macro.definition
        let params = def.parameters
        if positional.count > params.count, !def.usesVarargs {
            throw diagnostic(
                "macro '\(def.name)' takes not more than \(params.count) argument(s)", at: offset, id: "template.arity")
        }
        var scope: [String: TemplateValue] = [:]
        var extraKeywords: [(String, TemplateValue)] = []
        for name in keywordOrder {
            guard let value = keyword[name] else { continue }
            if let index = params.firstIndex(where: { $0.name == name }) {
                if index < positional.count {
                    throw diagnostic(
                        "macro '\(def.name)' got multiple values for argument '\(name)'", at: offset,
                        id: "template.arity")
                }
                scope[name] = value
            } else if name == "caller", def.usesCaller {
                scope[name] = value
            } else if def.usesKwargs {
                extraKeywords.append((name, value))
            } else {
                throw diagnostic(
                    "macro '\(def.name)' takes no keyword argument '\(name)'", at: offset, id: "template.arity")
            }
        }
        for (i, p) in params.enumerated() where i < positional.count { scope[p.name] = positional[i] }
        scope["varargs"] = .list(TemplateList(Array(positional.dropFirst(params.count)), isTuple: true))
        scope["kwargs"] = .dict(TemplateDict(extraKeywords))
        if let caller { scope["caller"] = caller }

        if callDepth == 0 { rootScope = scopes.first ?? [:] }
        callDepth += 1
        guard callDepth < Self.maximumCallDepth else {
            callDepth -= 1
            throw diagnostic("maximum macro recursion depth exceeded calling '\(def.name)'", at: offset)
        }
        let savedScopes = scopes, savedSource = source, savedNamespace = namespace
        scopes = (macro.closure ?? (def.source === rootSource ? [rootScope] : [])) + [scope]
        source = def.source
        if macro.closure == nil { namespace = macro.namespace }
        defer {
            scopes = savedScopes
            source = savedSource
            namespace = savedNamespace
            callDepth -= 1
        }
        for p in params where scope[p.name] == nil {
            if let d = p.defaultValue {
                assign(p.name, try evaluate(d))
            } else {
                assign(p.name, .undefined("parameter '\(p.name)' of macro '\(def.name)' was not provided"))
            }
        }
        do {
            let text = try capture { try render(def.body) }
            return .string(text)
        } catch let r as MacroReturn {
            return r.value
        } catch let c as LoopControl {
            throw Diagnostic.error(
                "template.render", "'\(c.isBreak ? "break" : "continue")' outside a loop",
                at: c.source.location(c.offset))
        } catch var d as Diagnostic where noteCallSite && def.name != "caller" && d.notes.count < 8 {
            d.notes.append(Diagnostic.Note("in macro '\(def.name)' called here", at: savedSource.location(offset)))
            throw d
        }
    }
}
