import Foundation
import Synchronization

/// A project after parsing and compiling: the manifest plus what is needed to render any node
/// again at run time (`is_incremental()`, `--empty`, `run_query`). Implements `NodeRenderer`.
public struct CompiledProject: NodeRenderer, Sendable {
    public let config: ProjectConfig
    public internal(set) var manifest: Manifest
    public let graph: DependencyGraph
    let templates: [String: Template]
    let macros: MacroLibrary
    public let options: CompileOptions
    let unitTests: [String: UnitTestDeclaration]
    /// Warnings of the compile (unknown keys, unused properties, ...).
    public internal(set) var warnings: [Diagnostic]
    /// Model, seed and snapshot names to unique ids.
    let nameIndex: [String: String]
    /// Project vars overridden by `--vars`.
    let vars: [String: JSONValue]
    /// `baseGlobals(adapter: nil)`, built once: every node of a compile renders with them.
    let compileGlobals: [String: TemplateValue]
    /// Phase timings of the compile that produced this project.
    public internal(set) var timings = PhaseTimings()
    /// SQL syntax errors found by the check, by node: errors only for the nodes a command executes
    /// (`syntaxErrors(executing:)`), warnings for the others, as dbt never rejects a project for them.
    public internal(set) var syntaxProblems: [String: Diagnostic] = [:]
    /// The vars each installed package's nodes see: the package's own, the root project's global
    /// ones, the root project's `vars: {<package>: {...}}`, then `--vars` (dbt's scoping).
    var packageVars: [String: [String: JSONValue]] = [:]

    init(
        config: ProjectConfig, manifest: Manifest, graph: DependencyGraph, templates: [String: Template],
        macros: MacroLibrary, options: CompileOptions, unitTests: [String: UnitTestDeclaration], warnings: [Diagnostic]
    ) {
        self.config = config
        self.manifest = manifest
        self.graph = graph
        self.templates = templates
        self.macros = macros
        self.options = options
        self.unitTests = unitTests
        self.warnings = warnings
        var index: [String: String] = [:]
        for (id, node) in manifest.nodes {
            switch node.resourceType {
            case .model, .seed, .snapshot:
                // a versioned model's name is its latest version
                if let version = node.version, let latest = node.latestVersion,
                    ModelVersionDeclaration.text(of: version) != ModelVersionDeclaration.text(of: latest)
                {
                    continue
                }
                index[node.name] = id
            default: break
            }
        }
        nameIndex = index
        var vars = config.vars
        vars.merge(options.vars) { $1 }
        self.vars = vars
        compileGlobals = CompiledProject.baseGlobals(
            projectName: config.name, vars: vars, options: options, adapter: nil)
    }

    /// Renders every model, analysis and test once (no database), records `compiled_code`, and checks
    /// the SQL with PostgreSQL's parser. Returns the errors, all of them.
    mutating func compileAll() -> [Diagnostic] {
        let ids = manifest.nodes.compactMap { id, node -> String? in
            switch node.resourceType {
            case .model, .test, .analysis, .unitTest, .snapshot: return id
            default: return nil
            }
        }
        // `project` must be gone before `manifest.nodes` is written below, or the write copies all nodes.
        let results: [(String, String?, [Diagnostic], Diagnostic?)] = {
            () -> [(String, String?, [Diagnostic], Diagnostic?)] in
            let project = self
            return parallelMap(ids) { id in
                do throws(DiagnosticsError) {
                    let sql = try project.render(id, options: RenderOptions(), adapter: nil)
                    if project.options.checkSQL, let problem = project.syntaxProblem(id, sql: sql) {
                        return (id, sql, [], problem)
                    }
                    return (id, sql, [], nil)
                } catch {
                    return (id, nil, error.diagnostics, nil)
                }
            }
        }()
        var failed: [(id: String, diagnostics: [Diagnostic])] = []
        for (id, sql, diagnostics, syntax) in results {
            manifest.nodes[id]?.compiledCode = sql
            if !diagnostics.isEmpty { failed.append((id, diagnostics)) }
            if let syntax { syntaxProblems[id] = syntax }
        }
        // A unit test wraps its model's SQL: when the model itself is reported, its unit tests are not.
        let reported = Set(failed.map(\.id))
        failed.removeAll { entry in
            guard let node = manifest.nodes[entry.id], node.resourceType == .unitTest, let model = node.attachedNode
            else { return false }
            return reported.contains(model)
        }
        // Errors in unique-id order, the same on every run.
        var errors = failed.sorted { $0.id < $1.id }.flatMap(\.diagnostics)
        // Hooks may use Jinja (`{{ this }}`): render them once with their node's context.
        for (id, node) in manifest.nodes where !node.config.preHooks.isEmpty || !node.config.postHooks.isEmpty {
            for key in ["pre_hook", "post_hook"] {
                let hooks = key == "pre_hook" ? node.config.preHooks : node.config.postHooks
                guard !hooks.isEmpty else { continue }
                var rendered: [JSONValue] = []
                for hook in hooks {
                    do throws(DiagnosticsError) {
                        let template = try Template.parse(hook, file: node.patchPath ?? node.originalFilePath)
                        rendered.append(
                            .string(
                                try template.render(
                                    context(for: node, options: RenderOptions(), adapter: nil, sink: RenderSink()))))
                    } catch {
                        errors += error.diagnostics
                    }
                }
                manifest.nodes[id]?.config[key] = .array(rendered)
            }
        }
        return errors
    }

    /// The syntax errors of the nodes a command executes (errors, in unique-id order) and of the
    /// others (the same messages as warnings).
    public func syntaxDiagnostics(executing ids: Set<String>) -> (errors: [Diagnostic], warnings: [Diagnostic]) {
        var errors: [Diagnostic] = [], warnings: [Diagnostic] = []
        for id in syntaxProblems.keys.sorted() {
            guard var diagnostic = syntaxProblems[id] else { continue }
            // A unit test wraps its model's SQL: when the model itself is reported, its unit tests are not.
            if let node = manifest.nodes[id], node.resourceType == .unitTest, let model = node.attachedNode,
                syntaxProblems[model] != nil
            {
                continue
            }
            if ids.contains(id) {
                errors.append(diagnostic)
            } else {
                diagnostic.severity = .warning
                warnings.append(diagnostic)
            }
        }
        return (errors, warnings)
    }

    /// Renders free text (for example `on-run-start` hooks) with the project-wide context.
    public func renderText(
        _ text: String, file: String, adapter: (any RuntimeAdapter)?
    ) throws(DiagnosticsError) -> String {
        guard text.contains("{{") || text.contains("{%") else { return text }
        let template = try Template.parse(text, file: file)
        return try template.render(RenderContext(globals: baseGlobals(adapter: adapter), macros: macros))
    }

    /// A SQL syntax error in a compiled node, located in the original `.sql` file.
    func syntaxProblem(_ id: String, sql: String) -> Diagnostic? {
        guard let node = manifest.nodes[id],
            node.resourceType == .model || node.resourceType == .analysis || node.testMetadata == nil,
            !sql.isBlank
        else { return nil }
        guard let error = SQLSyntaxCheck.check(sql) else {
            guard node.resourceType == .model else { return nil }
            let starts = SQLSyntaxCheck.statementStarts(sql)
            guard starts.count > 1 else { return nil }
            return .error(
                "sql.statements", "model '\(node.name)' holds \(starts.count) SQL statements; a model is one select",
                at: mappedLocation(of: starts[1], in: sql, node: node),
                hint: "move the other statements to a pre_hook or post_hook")
        }
        // SQL rendered while a macro asked the database for what it needs (`execute` false) is a
        // placeholder, as in dbt: the run renders it again with the connection.
        // So is the SQL of a node that reads `execute` or calls a package's macro, which may do so
        // (dbt_utils.star returns `*` until it can read the columns).
        if node.rawCode.contains("execute")
            || macros.namespaceNames.contains(where: { node.rawCode.contains($0 + ".") })
        {
            return nil
        }
        let probe = RenderSink()
        if (try? render(id, options: RenderOptions(), adapter: nil, sink: probe)) != nil, probe.introspected {
            return nil
        }
        do {
            if node.resourceType == .unitTest {
                return .error(
                    "sql.syntax", "SQL syntax error in unit test '\(node.name)': \(error.message)", at: node.declaredAt)
            }
            var location = SourceLocation.at(utf8Offset: error.utf8Offset, in: sql, file: node.originalFilePath)
            if let template = templates[id],
                let (_, map) = try? template.renderWithSourceMap(
                    context(for: node, options: RenderOptions(), adapter: nil, sink: RenderSink())),
                let mapped = map.location(forOutputOffset: error.utf8Offset)
            {
                location = mapped
            }
            return .error(
                "sql.syntax", "SQL syntax error in compiled \(node.resourceType.rawValue): \(error.message)",
                at: location)
        }
    }

    /// A byte offset of a node's compiled SQL as a location in its template (the compiled text's
    /// position when the template cannot be mapped).
    func mappedLocation(of utf8Offset: Int, in sql: String, node: ManifestNode) -> SourceLocation {
        if let template = templates[node.uniqueId],
            let (_, map) = try? template.renderWithSourceMap(
                context(for: node, options: RenderOptions(), adapter: nil, sink: RenderSink())),
            let mapped = map.location(forOutputOffset: utf8Offset)
        {
            return mapped
        }
        return SourceLocation.at(utf8Offset: utf8Offset, in: sql, file: node.originalFilePath)
    }

    /// Renders the node's template again with a source map (no database: `run_query` answers
    /// nothing, so a template that depends on it may not be found and gives nil), finds that text in
    /// the statement, and maps the error's character back to the template.
    public func templateLocation(
        of uniqueId: String, options: RenderOptions, statement: String, position: Int
    ) -> SourceLocation? {
        guard position > 0, let node = manifest.nodes[uniqueId], let template = templates[uniqueId],
            let (output, map) = try? template.renderWithSourceMap(
                context(for: node, options: options, adapter: nil, sink: RenderSink())),
            !output.isEmpty
        else { return nil }
        // PostgreSQL counts characters (code points); the source map counts UTF-8 bytes.
        var errorOffset = 0
        var scalars = statement.unicodeScalars.makeIterator()
        for _ in 1..<position {
            guard let scalar = scalars.next() else { return nil }
            errorOffset += UTF8.width(scalar)
        }
        let haystack = Array(statement.utf8), needle = Array(output.utf8)
        guard needle.count <= haystack.count else { return nil }
        var start = 0
        while start + needle.count <= haystack.count {
            if haystack[start] == needle[0], haystack[start..<start + needle.count].elementsEqual(needle) {
                let offset = errorOffset - start
                return offset >= 0 && offset < needle.count ? map.location(forOutputOffset: offset) : nil
            }
            start += 1
        }
        return nil
    }

    /// The SQL of a node for one run, with ephemeral models inlined as CTEs.
    public func render(
        _ uniqueId: String, options: RenderOptions, adapter: (any RuntimeAdapter)?
    ) throws(DiagnosticsError) -> String {
        try render(uniqueId, options: options, adapter: adapter, sink: RenderSink())
    }

    /// `render`, noting in `sink` what the render did.
    func render(
        _ uniqueId: String, options: RenderOptions, adapter: (any RuntimeAdapter)?, sink: RenderSink
    ) throws(DiagnosticsError) -> String {
        guard let node = manifest.nodes[uniqueId] else {
            throw DiagnosticsError([.error("node.unknown", "unknown node '\(uniqueId)'")])
        }
        let sql: String
        if node.resourceType == .unitTest {
            return try renderUnitTest(node, options: options, adapter: adapter)
        } else if let test = node.testMetadata {
            sql = try renderGenericTest(node, test, options: options, adapter: adapter, sink: sink)
        } else if node.resourceType == .seed {
            return ""
        } else {
            guard let template = templates[uniqueId] else { return node.compiledCode ?? node.rawCode }
            sql = try template.render(context(for: node, options: options, adapter: adapter, sink: sink))
        }
        return try inlineEphemerals(sql, referenced: sink.ephemerals, options: options, adapter: adapter, depth: 0)
    }

    /// dbt's ephemeral injection: `with __dbt__cte__x as (...)` before the query, merged into an
    /// existing `with`.
    func inlineEphemerals(
        _ sql: String, referenced: [String], options: RenderOptions, adapter: (any RuntimeAdapter)?, depth: Int
    ) throws(DiagnosticsError) -> String {
        guard !referenced.isEmpty else { return sql }
        var ctes: [String] = []
        var done = Set<String>()
        func add(_ id: String, _ level: Int) throws(DiagnosticsError) {
            guard done.insert(id).inserted, let node = manifest.nodes[id], let template = templates[id] else { return }
            let sink = RenderSink()
            let body = try template.render(context(for: node, options: options, adapter: adapter, sink: sink))
            for inner in sink.ephemerals { try add(inner, level + 1) }
            ctes.append("__dbt__cte__\(node.name) as (\n\(body.trimmingCharacters(in: .whitespacesAndNewlines))\n)")
        }
        for id in referenced { try add(id, 0) }
        let block = ctes.joined(separator: ", ")
        // Leading comments (`-- setup` in dbt_utils' tests) stay in front of the merged `with`.
        var rest = Substring(sql)
        while true {
            rest = rest.drop { $0.isWhitespace }
            if rest.hasPrefix("--") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*"), let end = rest.range(of: "*/") {
                rest = rest[end.upperBound...]
            } else {
                break
            }
        }
        let comments = sql[..<rest.startIndex]
        let trimmed = rest
        let lower = trimmed.prefix(15).lowercased()
        if lower.hasPrefix("with recursive") {
            let rest = trimmed.dropFirst("with recursive".count).drop { $0.isWhitespace }
            return "\(comments)with recursive \(block), \(rest)"
        } else if lower.hasPrefix("with ") || lower.hasPrefix("with\n") {
            return "\(comments)with \(block), \(trimmed.dropFirst(4).drop { $0.isWhitespace })"
        }
        return "with \(block)\n\(sql)"
    }
}

/// What a render noticed: the ephemeral models it referenced. One per render; not shared.
final class RenderSink: Sendable {
    private let referenced = Mutex<[String]>([])
    private let introspection = Mutex(false)
    var ephemerals: [String] { referenced.withLock { $0 } }
    /// Whether the render asked the database something while it had no connection (`execute`
    /// false): its SQL is then only a placeholder of what will run, as in dbt.
    var introspected: Bool { introspection.withLock { $0 } }
    func noteIntrospection() { introspection.withLock { $0 = true } }
    private let configured = Mutex<[(String, JSONValue)]>([])
    /// What `config(key=value)` calls made during the render set (a test macro's `fail_calc`).
    var configs: [(String, JSONValue)] { configured.withLock { $0 } }
    func noteConfig(_ key: String, _ value: JSONValue) { configured.withLock { $0.append((key, value)) } }
    func noteEphemeral(_ id: String) {
        referenced.withLock { if !$0.contains(id) { $0.append(id) } }
    }
}
