/// A parsed template: Jinja syntax as dbt projects use it, ready to render any number of times.
///
/// The pipeline is `TemplateLexer` (one pass over UTF-8) → `TemplateParser` (syntax tree, several errors
/// collected) → `TemplateRenderer` (one output buffer). Each tag's parse and render live together in
/// `*Tag.swift`; built-in filters, tests and globals use the same `TemplateFilter`/`TemplateIsTest`/
/// `TemplateFunction` API that integrators use for `ref`, `source`, `config` and friends.
/// Semantics follow Jinja2 3.1 with dbt's settings: `do` and `loopcontrols` extensions, no autoescape,
/// `trim_blocks`/`lstrip_blocks` off, the file's trailing newline kept.
public struct Template: Sendable {
    /// Project-relative path used in diagnostics.
    public let file: String
    /// The template text.
    public let source: String
    let syntax: TemplateSource
    let nodes: [Node]
    /// Top-level `{% macro %}` and `{% test %}` blocks of this file.
    public let macros: [MacroBlock]
    /// `{% docs name %}…{% enddocs %}` blocks.
    public let docBlocks: [DocBlock]
    /// `{% snapshot name %}…{% endsnapshot %}` blocks (their bodies render in place).
    public let snapshotBlocks: [SnapshotBlock]
    /// The callable macros of this file by registered name.
    let macroValues: [String: MacroValue]
    /// Calls of plain names in source order.
    let callSites: [CallSite]

    /// Parses; syntax errors throw every error found with its file:line:col.
    public static func parse(_ source: String, file: String) throws(DiagnosticsError) -> Template {
        let text = TemplateSource(file: file, text: source)
        var lexer = TemplateLexer(source: text)
        lexer.run()
        var diagnostics = lexer.diagnostics
        var nodes: [Node] = []
        var callSites: [CallSite] = []
        if diagnostics.isEmpty || lexer.tokens.last?.kind == .eof {
            var parser = TemplateParser(source: text, tokens: lexer.tokens)
            nodes = parser.parseTemplate()
            diagnostics += parser.diagnostics
            callSites = parser.callSites.sorted { $0.offset < $1.offset }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return Template(file: file, syntax: text, nodes: nodes, callSites: callSites)
    }

    private init(file: String, syntax: TemplateSource, nodes: [Node], callSites: [CallSite]) {
        self.callSites = callSites
        self.file = file
        self.source = syntax.text
        self.syntax = syntax
        self.nodes = nodes
        var macros: [MacroBlock] = []
        var docs: [DocBlock] = []
        var snapshots: [SnapshotBlock] = []
        var values: [String: MacroValue] = [:]
        for node in nodes {
            switch node {
            case .macro(let d):
                let written = d.isTest ? String(d.name.dropFirst("test_".count)) : d.name
                macros.append(
                    MacroBlock(
                        name: written, registeredName: d.name, parameters: d.parameters.map(\.name), isTest: d.isTest,
                        location: syntax.location(d.offset), sourceText: d.sourceText))
                values[d.name] = MacroValue(definition: d, closure: nil)
            case .docs(let block, _):
                docs.append(block)
            case .snapshot(let block, _):
                snapshots.append(block)
            default: break
            }
        }
        self.macros = macros
        self.docBlocks = docs
        self.snapshotBlocks = snapshots
        self.macroValues = values
    }

    /// Renders with the context; runtime errors throw diagnostics at the failing expression.
    public func render(_ context: RenderContext) throws(DiagnosticsError) -> String {
        try run(context, recordMap: false).output
    }

    /// Renders, and maps output UTF-8 offsets back to template locations.
    public func renderWithSourceMap(
        _ context: RenderContext
    ) throws(DiagnosticsError) -> (output: String, map: SourceMap) {
        let renderer = try run(context, recordMap: true)
        return (renderer.output, SourceMap(source: syntax, segments: renderer.segments ?? []))
    }

    private func run(_ context: RenderContext, recordMap: Bool) throws(DiagnosticsError) -> TemplateRenderer {
        let renderer = TemplateRenderer(
            context: context, source: syntax, localMacros: macroValues, recordMap: recordMap)
        do {
            try renderer.render(nodes)
        } catch {
            throw TemplateRenderer.diagnostics(from: error, renderer: renderer)
        }
        return renderer
    }
}

extension TemplateRenderer {
    /// Any error escaping a render, as diagnostics.
    static func diagnostics(from error: any Error, renderer: TemplateRenderer) -> DiagnosticsError {
        switch error {
        case let d as Diagnostic: return DiagnosticsError([d])
        case let e as DiagnosticsError: return e
        case let r as MacroReturn:
            return DiagnosticsError([
                .error("template.render", "'return' called outside a macro", at: r.source.location(r.offset))
            ])
        case let c as LoopControl:
            let word = c.isBreak ? "break" : "continue"
            return DiagnosticsError([
                .error("template.render", "'\(word)' outside a loop", at: c.source.location(c.offset))
            ])
        case let e as TemplateError: return DiagnosticsError([.error("template.render", e.message)])
        default: return DiagnosticsError([.error("template.render", "\(error)")])
        }
    }
}
