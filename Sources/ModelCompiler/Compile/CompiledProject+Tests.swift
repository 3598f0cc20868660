import Foundation

/// Rendering generic tests (a `{% test %}` macro called with the model and arguments) and dbt 1.8
/// unit tests (the model rendered over fixture rows, compared with the expected rows).
extension CompiledProject {
    func renderGenericTest(
        _ node: ManifestNode, _ test: TestMetadata, options: RenderOptions, adapter: (any RuntimeAdapter)?,
        sink: RenderSink
    ) throws(DiagnosticsError) -> String {
        let context = self.context(for: node, options: options, adapter: adapter, sink: sink)
        let location = node.declaredAt ?? SourceLocation(file: node.originalFilePath, line: 1, column: 1)
        var kwargs: [String: TemplateValue] = [:]
        for (key, value) in test.kwargs {
            // dbt renders every text argument in the test's context (column_name stays as written)
            kwargs[key] =
                key == "column_name"
                ? TemplateValue(value)
                : try relocated(location) { () throws(DiagnosticsError) in
                    try renderedArgument(value, context, file: location.file)
                }
        }
        guard let attached = node.attachedNode else {
            throw DiagnosticsError([
                .error("test.unattached", "test '\(node.name)' is not attached to a model", at: location)
            ])
        }
        var model: TemplateValue
        if let target = manifest.nodes[attached], target.materialization == .ephemeral {
            // The test reads the ephemeral model as a CTE, inlined like a ref's.
            sink.noteEphemeral(attached)
            model = RelationValue.ephemeral(target.name).value
        } else if let target = manifest.nodes[attached] {
            model = CompiledProject.relation(
                schema: target.schema, identifier: target.alias, database: target.database, empty: options.empty)
        } else if let source = manifest.sources[attached] {
            model = CompiledProject.relation(
                schema: source.schema, identifier: source.identifier, database: source.database, empty: options.empty)
        } else {
            throw DiagnosticsError([
                .error("test.unattached", "test '\(node.name)' refers to unknown node '\(attached)'", at: location)
            ])
        }
        if let condition = node.config["where"]?.stringValue, !condition.isEmpty {
            model = .string("(select * from \(model.description) where \(condition)) dbt_subquery")
        }
        if let target = manifest.nodes[attached], !options.empty,
            let limited = ChangedRowsScope.limited(
                relation: model.description, model: target, test: test,
                changes: CompiledProject.relation(
                    schema: target.schema, identifier: ChangedRowsScope.tableName(target.alias),
                    database: target.database, empty: false
                ).description)
        {
            model = .string(limited)
        }
        kwargs["model"] = model
        let macros = self.macros
        // The package's own macro when the test is namespaced and the package is installed.
        let testMacro =
            test.namespace.map { "\($0).test_\(test.name)" }.flatMap { macros.macro(named: $0) != nil ? $0 : nil }
            ?? "test_\(test.name)"
        let value = try relocated(location) { () throws(DiagnosticsError) in
            try macros.call(testMacro, positional: [], keyword: kwargs, context: context)
        }
        return value.description
    }

    /// A generic test argument as dbt passes it: text holding Jinja rendered, a lone `ref(...)`,
    /// `source(...)`, `var(...)`, `env_var(...)` or `doc(...)` evaluated, lists and mappings item by item.
    func renderedArgument(
        _ value: JSONValue, _ context: RenderContext, file: String
    ) throws(DiagnosticsError) -> TemplateValue {
        switch value {
        case .string(let text):
            // most arguments are plain names and values: decided from their first character
            guard let first = text.utf8.first(where: { $0 != 0x20 && $0 != 0x09 }) else { return .string(text) }
            if (first == UInt8(ascii: "r") || first == UInt8(ascii: "s")) && NodeFactory.isRelationExpression(text)
                || (first == UInt8(ascii: "v") || first == UInt8(ascii: "e") || first == UInt8(ascii: "d"))
                    && Self.isLoneCall(text, of: ["var", "env_var", "doc"])
            {
                return .string(try Template.parse("{{ \(text) }}", file: file).render(context))
            }
            guard NodeFactory.hasJinja(text) else { return .string(text) }
            return .string(try Template.parse(text, file: file).render(context))
        case .array(let items):
            var rendered: [TemplateValue] = []
            for item in items { rendered.append(try renderedArgument(item, context, file: file)) }
            return .list(rendered)
        case .object(let entries):
            var pairs: [(String, TemplateValue)] = []
            for key in entries.keys.sorted() {
                pairs.append((key, try renderedArgument(entries[key]!, context, file: file)))
            }
            return .dict(TemplateDict(pairs))
        default:
            return TemplateValue(value)
        }
    }

    /// Whether the text is one call of one of `names`, as dbt wraps it in `{{ }}`: `var('x')`.
    static func isLoneCall(_ text: String, of names: [String]) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix(")"), let open = trimmed.firstIndex(of: "(") else { return false }
        return names.contains(trimmed[..<open].trimmingCharacters(in: .whitespaces))
            && trimmed.index(after: open) < trimmed.index(before: trimmed.endIndex)
    }

    /// Runtime errors of a test declared in YAML point at its declaration.
    func relocated<T>(
        _ location: SourceLocation, _ body: () throws(DiagnosticsError) -> T
    ) throws(DiagnosticsError) -> T {
        do { return try body() } catch {
            throw DiagnosticsError(
                error.diagnostics.map { d in
                    var copy = d
                    if copy.location == nil || copy.location?.file.hasSuffix(".sql") == false
                        || copy.location?.line == 1
                    {
                        copy.notes.append(.init("in the test declared here", at: location))
                    }
                    return copy
                })
        }
    }

    /// A unit test's SQL: one row per difference between the model's output over the given rows
    /// and the expected rows, with `diff` = `+` (unexpected, produced) or `-` (expected, missing).
    func renderUnitTest(
        _ node: ManifestNode, options: RenderOptions, adapter: (any RuntimeAdapter)?
    ) throws(DiagnosticsError) -> String {
        guard let test = unitTests[node.uniqueId], let modelId = node.attachedNode, let model = manifest.nodes[modelId],
            let template = templates[modelId]
        else {
            throw DiagnosticsError([.error("unit-test.invalid", "unit test '\(node.name)' cannot be rendered")])
        }
        let location = node.declaredAt ?? SourceLocation(file: node.originalFilePath, line: 1, column: 1)
        var inputs: [String: String] = [:]  // "ref:name" / "source:a.b" / "this" -> fixture SQL
        for given in test.given {
            let key = try inputKey(given.input, at: location)
            let relation: String
            if key == "this" {
                relation =
                    CompiledProject.relation(schema: model.schema, identifier: model.alias, database: nil, empty: false)
                    .description
            } else if key.hasPrefix("ref:"), let id = nameIndex[String(key.dropFirst(4))],
                let target = manifest.nodes[id]
            {
                if target.materialization == .ephemeral {
                    throw DiagnosticsError([
                        .error(
                            "unit-test.ephemeral", "unit test inputs cannot be ephemeral models ('\(target.name)')",
                            at: location)
                    ])
                }
                relation =
                    CompiledProject.relation(
                        schema: target.schema, identifier: target.alias, database: nil, empty: false
                    ).description
            } else if key.hasPrefix("source:"),
                let source = manifest.sources["source.\(config.name).\(key.dropFirst(7))"]
            {
                relation = source.relationName
            } else {
                throw DiagnosticsError([
                    .error("unit-test.unknown-input", "unknown unit test input '\(given.input)'", at: location)
                ])
            }
            if given.rows.format == "sql" {
                // `format: sql`: the rows are a query, used as written (dbt's sql fixtures).
                inputs[key] = given.rows.rows.stringValue ?? "select * from \(relation) where false"
                continue
            }
            let rows = try fixtureRows(given.rows, at: location)
            inputs[key] = "select * from json_populate_recordset(null::\(relation), \(dollarQuoted(jsonText(rows))))"
        }
        // Render the model with its inputs replaced by the fixtures.
        var context = self.context(for: model, options: options, adapter: adapter, sink: RenderSink())
        let overrides = test.overrides?.objectValue ?? [:]
        var vars = self.vars
        for (k, v) in overrides["vars"]?.objectValue ?? [:] { vars[k] = v }
        let frozenVars = vars
        context.globals["var"] = .function(
            TemplateFunction(name: "var") { args in
                let name = args.positional.first?.description ?? ""
                if let value = frozenVars[name] { return TemplateValue(value) }
                if args.positional.count > 1 { return args.positional[1] }
                throw TemplateError("required var '\(name)' not found")
            })
        for (name, value) in overrides["macros"]?.objectValue ?? [:] {
            let frozen = TemplateValue(value)
            context.globals[name] = .function(TemplateFunction(name: name) { _ in frozen })
        }
        let frozenInputs = inputs
        context.globals["ref"] = .function(
            TemplateFunction(name: "ref") { args in
                let name = args.positional.last?.description ?? ""
                guard let sql = frozenInputs["ref:\(name)"] else {
                    throw TemplateError(
                        "unit test '\(test.name)' gives no rows for ref('\(name)'); add it under given:")
                }
                guard sql.isEmpty == false else { throw TemplateError("no rows for ref('\(name)')") }
                return .string("__sqlt_input_\(CompiledProject.cteName(name))")
            })
        context.globals["source"] = .function(
            TemplateFunction(name: "source") { args in
                let key = args.positional.map(\.description).joined(separator: ".")
                guard frozenInputs["source:\(key)"] != nil else {
                    throw TemplateError(
                        "unit test '\(test.name)' gives no rows for source('\(key.replacingOccurrences(of: ".", with: "', '"))'); add it under given:"
                    )
                }
                return .string("__sqlt_source_\(CompiledProject.cteName(key))")
            })
        if frozenInputs["this"] != nil { context.globals["this"] = .string("__sqlt_this") }
        let modelSQL = try template.render(context)

        if test.expect.format == "sql" {
            // Expected rows as a query: compared on every column, in the model's column order.
            let expectedQuery = test.expect.rows.stringValue ?? "select * from __sqlt_actual where false"
            let inputCTEs = inputs.keys.sorted().map { key -> String in
                "\(unitInputName(key)) as (\n  \(inputs[key]!)\n),\n"
            }.joined()
            return """
                with \(inputCTEs)__sqlt_actual as (
                \(modelSQL)
                ),
                __sqlt_expected as (
                \(expectedQuery)
                )
                select '-' as diff, missing.* from (select * from __sqlt_expected except all select * from __sqlt_actual) missing
                union all
                select '+' as diff, unexpected.* from (select * from __sqlt_actual except all select * from __sqlt_expected) unexpected
                """
        }
        let expected = try fixtureRows(test.expect, at: location)
        var columns: [String] = []
        for row in expected { for key in row.keys.sorted() where !columns.contains(key) { columns.append(key) } }
        guard !columns.isEmpty else {
            return "select '-' as diff where false"
        }
        let list = columns.map(quoteIdentifier).joined(separator: ", ")
        var expectedSQL = "select \(list) from __sqlt_actual where false"
        for row in expected {
            let values = columns.map { column -> String in
                guard let value = row[column], value != .null else { return "null" }
                return quoteLiteral(jsonScalar(value))
            }
            expectedSQL += "\n  union all select \(values.joined(separator: ", "))"
        }
        let inputCTEs = inputs.keys.sorted().map { key -> String in
            let name: String
            if key == "this" {
                name = "__sqlt_this"
            } else if key.hasPrefix("ref:") {
                name = "__sqlt_input_" + CompiledProject.cteName(String(key.dropFirst(4)))
            } else {
                name = "__sqlt_source_" + CompiledProject.cteName(String(key.dropFirst(7)))
            }
            return "\(name) as (\n  \(inputs[key]!)\n),\n"
        }.joined()
        return """
            with \(inputCTEs)__sqlt_actual as (
            \(modelSQL)
            ),
            __sqlt_expected as (
              \(expectedSQL)
            )
            select '-' as diff, \(list) from (select \(list) from __sqlt_expected except all select \(list) from __sqlt_actual) missing
            union all
            select '+' as diff, \(list) from (select \(list) from __sqlt_actual except all select \(list) from __sqlt_expected) unexpected
            """
    }

    /// The CTE a unit test input is read from: `__sqlt_this`, `__sqlt_input_<model>`, `__sqlt_source_<s_t>`.
    func unitInputName(_ key: String) -> String {
        if key == "this" { return "__sqlt_this" }
        if key.hasPrefix("ref:") { return "__sqlt_input_" + CompiledProject.cteName(String(key.dropFirst(4))) }
        return "__sqlt_source_" + CompiledProject.cteName(String(key.dropFirst(7)))
    }

    /// A CTE-safe name for a model or `source.table` name.
    static func cteName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
    }

    func inputKey(_ input: String, at location: SourceLocation) throws(DiagnosticsError) -> String {
        let trimmed = input.trimmingCharacters(in: .whitespaces)
        if trimmed == "this" { return "this" }
        let template = try Template.parse("{{ \(trimmed) }}", file: location.file)
        guard let call = template.staticCalls(named: ["ref", "source"]).first else {
            throw DiagnosticsError([
                .error("unit-test.input", "a given input must be ref('model'), source('s', 't') or this", at: location)
            ])
        }
        let names = call.arguments.compactMap { $0?.stringValue }
        return call.name == "ref" ? "ref:\(names.last ?? "")" : "source:\(names.joined(separator: "."))"
    }

    /// Fixture rows as dicts, from a list of dicts or CSV text.
    func fixtureRows(
        _ rows: UnitTestRows, at location: SourceLocation
    ) throws(DiagnosticsError) -> [[String: JSONValue]] {
        switch rows.format {
        case "dict":
            guard let list = rows.rows.arrayValue else { return [] }
            return list.map { $0.objectValue ?? [:] }
        case "csv":
            guard let text = rows.rows.stringValue else {
                throw DiagnosticsError([.error("unit-test.csv", "csv rows must be given as text", at: location)])
            }
            var lines = text.split(whereSeparator: \.isNewline).map(String.init).filter {
                !$0.trimmingCharacters(in: .whitespaces).isEmpty
            }
            guard !lines.isEmpty else { return [] }
            let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            return lines.map { line in
                let cells = line.split(separator: ",", omittingEmptySubsequences: false).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                var row: [String: JSONValue] = [:]
                for (index, name) in header.enumerated() {
                    let cell = index < cells.count ? cells[index] : ""
                    row[name] = cell.isEmpty || cell == "null" ? .null : .string(cell)
                }
                return row
            }
        default:
            throw DiagnosticsError([
                .error(
                    "unit-test.format", "unknown fixture format '\(rows.format)'", at: location, hint: "use dict or csv"
                )
            ])
        }
    }

    func jsonText(_ rows: [[String: JSONValue]]) -> String {
        let data = (try? JSONEncoder.artifacts().encode(rows.map { JSONValue.object($0) })) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    func jsonScalar(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        default: return jsonText([["v": value]])
        }
    }

    func dollarQuoted(_ text: String) -> String {
        var tag = "$sqlt$"
        var n = 0
        while text.contains(tag) { n += 1; tag = "$sqlt\(n)$" }
        return tag + text + tag
    }
}
