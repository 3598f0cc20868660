/// Generic tests from property files, unit tests, and the edges of every node.
extension NodeBuilder {
    /// What a generic test is attached to.
    enum TestTarget {
        case node(ManifestNode)
        case source(SourceDefinition)

        var uniqueId: String {
            switch self {
            case .node(let n): return n.uniqueId
            case .source(let s): return s.uniqueId
            }
        }
        /// The name dbt uses in test names: `orders`, or `source_table` for sources.
        var testLabel: String {
            switch self {
            case .node(let n): return n.name
            case .source(let s): return "\(s.sourceName)_\(s.name)"
            }
        }
        var isSource: Bool { if case .source = self { return true }; return false }
    }

    mutating func addGenericTests() {
        for file in properties {
            for patch in file.models + file.seeds {
                guard let id = nameIndex[patch.name], let node = nodes[id] else { continue }
                for test in patch.tests { addGenericTest(test, target: .node(node), column: nil, file: file.file) }
                for column in patch.columns {
                    for test in column.tests { addGenericTest(test, target: .node(node), column: column.info.name, file: file.file) }
                }
            }
            for source in file.sources {
                for table in source.tables {
                    guard let definition = sources["source.\(project.name).\(source.name).\(table.name)"] else { continue }
                    for test in table.tests { addGenericTest(test, target: .source(definition), column: nil, file: file.file) }
                    for column in table.columns {
                        for test in column.tests { addGenericTest(test, target: .source(definition), column: column.info.name, file: file.file) }
                    }
                }
            }
        }
    }

    mutating func addGenericTest(_ test: TestDeclaration, target: TestTarget, column: String?, file: String) {
        let parts = test.testName.split(separator: ".", maxSplits: 1).map(String.init)
        let namespace = parts.count == 2 ? parts[0] : nil
        let testName = parts.last ?? test.testName
        guard macros.has("test_\(testName)") else {
            let known = macros.names.filter { $0.hasPrefix("test_") }.map { String($0.dropFirst(5)) }
            diagnostics.append(.error(
                "test.unknown", "unknown test '\(test.testName)'", at: test.location, length: test.testName.count,
                hint: closestMatch(to: testName, in: known).map { "did you mean '\($0)'?" }))
            return
        }
        var kwargs = test.arguments
        if let column { kwargs["column_name"] = .string(column) }
        // dbt's synthesize_generic_test_names.
        var flat: [String] = []
        for key in kwargs.keys.sorted() where key != "model" {
            switch kwargs[key]! {
            case .object(let o): flat += o.keys.sorted().map { display(o[$0]!) }
            case .array(let a): flat += a.map(display)
            case let other: flat.append(display(other))
            }
        }
        let clean = flat.map { sanitize($0) }.joined(separator: "__")
        let prefix = (target.isSource ? "source_" : "") + (namespace.map { "\($0)_" } ?? "") + testName
        let identifier = "\(prefix)_\(target.testLabel)"
        let fullName = clean.isEmpty ? identifier : "\(identifier)_\(clean)"
        let shortName = fullName.count >= 64 ? "\(identifier.prefix(30))_\(StableHash.hex(fullName))" : fullName
        let name = test.customName ?? fullName
        let id = "test.\(project.name).\(test.customName ?? fullName).\(StableHash.hex(file + fullName).prefix(10))"

        var fqn = [project.name]
        fqn += file.split(separator: "/").dropFirst().dropLast().map(String.init)
        fqn.append(name)
        var config = ConfigTree(project.configTrees[.test]).config(for: fqn)
        if config["severity"] == nil { config["severity"] = "ERROR" }
        if let builtin = BuiltinTests.lookup(test.testName) ?? BuiltinTests.names[testName], !projectMacroNames.contains("test_\(testName)") {
            for (key, value) in builtin.defaultConfig where config[key] == nil { config[key] = value }
        }
        ConfigTree.merge(test.config, into: &config)
        config["alias"] = config["alias"] ?? .string(shortName)

        var node = ManifestNode(
            uniqueId: id, resourceType: .test, name: name, packageName: project.name, path: "\(shortName).sql",
            originalFilePath: file, fqn: fqn, database: options.target.dbname, schema: options.target.schema,
            alias: shortName, rawCode: "{{ test_\(testName)(**_dbt_generic_test_kwargs) }}", config: config,
            checksum: FileChecksum(checksum: StableHash.hex(fullName)),
            testMetadata: TestMetadata(name: testName, kwargs: kwargs, namespace: namespace), columnName: column,
            attachedNode: target.uniqueId, declaredAt: test.location)
        node.dependsOn.nodes = [target.uniqueId]
        node.dependsOn.macros = ["macro.\(project.name).test_\(testName)"]
        if case .source(let s) = target { node.sources = [[s.sourceName, s.name]] } else if case .node(let n) = target {
            node.refs = [RefCall(name: n.name)]
        }
        guard config.enabled else {
            disabled[id, default: []].append(node)
            return
        }
        // References inside arguments, such as relationships' `to: ref('customers')`.
        var refs: [PendingRef] = []
        for value in kwargs.values {
            guard let text = value.stringValue, Self.isRelationExpression(text) else { continue }
            if let template = try? Template.parse("{{ \(text) }}", file: file) {
                for call in template.staticCalls(named: ["ref", "source"]) {
                    refs.append(PendingRef(call: call, location: test.location))
                }
            }
        }
        pendingRefs[id] = refs
        finish(&node)
        nodes[id] = node
    }

    /// `ref('x')` or `source('a', 'b')` written as a test argument.
    static func isRelationExpression(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return (trimmed.hasPrefix("ref(") || trimmed.hasPrefix("source(")) && trimmed.hasSuffix(")")
    }

    func display(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return b ? "True" : "False"
        case .null: return "None"
        default: return "\(value)"
        }
    }

    func sanitize(_ text: String) -> String {
        var out = ""
        var lastWasUnderscore = false
        for ch in text {
            if ch.isASCII && (ch.isLetter || ch.isNumber || ch == "_") {
                out.append(ch)
                lastWasUnderscore = false
            } else if !lastWasUnderscore {
                out.append("_")
                lastWasUnderscore = true
            }
        }
        return out
    }

    mutating func addUnitTests() {
        for file in properties {
            for test in file.unitTests {
                guard let modelId = nameIndex[test.model], let model = nodes[modelId] else {
                    diagnostics.append(.error(
                        "unit-test.unknown-model", "unit test '\(test.name)' tests unknown model '\(test.model)'", at: test.location,
                        hint: closestMatch(to: test.model, in: nameIndex.keys).map { "did you mean '\($0)'?" }))
                    continue
                }
                let id = "unit_test.\(project.name).\(test.model).\(test.name)"
                var config = test.config
                if config["severity"] == nil { config["severity"] = "ERROR" }
                var node = ManifestNode(
                    uniqueId: id, resourceType: .unitTest, name: test.name, packageName: project.name, path: model.path,
                    originalFilePath: file.file, fqn: [project.name, test.model, test.name], database: options.target.dbname,
                    schema: options.target.schema, alias: test.name, rawCode: model.rawCode, config: config,
                    description: test.description, checksum: FileChecksum(checksum: StableHash.hex(model.rawCode + test.name)),
                    attachedNode: modelId, declaredAt: test.location)
                node.tags = config.configTags
                unitTests[id] = test
                nodes[id] = node
                // A unit test reads the model's inputs' column types; it depends on the model's parents.
                pendingRefs[id] = pendingRefs[modelId] ?? []
            }
        }
    }

    /// Resolves every `ref` and `source` call into an edge, with "did you mean" for unknown names.
    mutating func resolveEdges() {
        for (id, calls) in pendingRefs.sorted(by: { $0.key < $1.key }) {
            guard var node = nodes[id] else { continue }
            var parents = Set(node.dependsOn.nodes)
            for pending in calls {
                let call = pending.call, kind = pending.kind, location = pending.location
                let arguments = call.arguments
                guard arguments.allSatisfy({ $0?.stringValue != nil }), !arguments.isEmpty else {
                    diagnostics.append(.error(
                        "\(kind).non-literal", "\(kind)() arguments must be literal strings", at: location, length: kind.count,
                        hint: "sqlt reads dependencies without rendering; write the name as a string literal"))
                    continue
                }
                let names = arguments.map { $0!.stringValue! }
                if kind == "ref" {
                    let name = names.last!
                    guard let parent = nameIndex[name] else {
                        if disabled.keys.contains(where: { $0.hasSuffix(".\(name)") && !$0.hasPrefix("test.") }) {
                            diagnostics.append(.error("ref.disabled", "'\(node.name)' depends on '\(name)', which is disabled", at: location, length: 3))
                        } else {
                            diagnostics.append(.error(
                                "ref.unknown", "unknown model '\(name)'", at: location, length: 3,
                                hint: closestMatch(to: name, in: nameIndex.keys).map { "did you mean '\($0)'?" }))
                        }
                        continue
                    }
                    let edge = GraphEdge(parent: parent, child: id)
                    if edgeLocations[edge] == nil { edgeLocations[edge] = location }
                    parents.insert(parent)
                    let ref = RefCall(name: name, package: names.count > 1 ? names[0] : nil)
                    if !node.refs.contains(ref) { node.refs.append(ref) }
                } else {
                    guard names.count == 2 else {
                        diagnostics.append(.error("source.arity", "source() takes a source name and a table name", at: location, length: 6))
                        continue
                    }
                    let sourceId = "source.\(project.name).\(names[0]).\(names[1])"
                    guard sources[sourceId] != nil else {
                        let known = sources.values.map { "\($0.sourceName).\($0.name)" }
                        diagnostics.append(.error(
                            "source.unknown", "unknown source '\(names[0]).\(names[1])'", at: location, length: 6,
                            hint: closestMatch(to: "\(names[0]).\(names[1])", in: known).map { "did you mean '\($0)'?" }))
                        continue
                    }
                    parents.insert(sourceId)
                    if !node.sources.contains(names) { node.sources.append(names) }
                }
            }
            node.dependsOn.nodes = parents.sorted()
            nodes[id] = node
        }
    }
}
