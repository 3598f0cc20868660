/// What a generic test is attached to.
enum TestTarget: Sendable {
    case node(id: String, name: String)
    case source(id: String, sourceName: String, name: String)

    var uniqueId: String {
        switch self {
        case .node(let id, _), .source(let id, _, _): return id
        }
    }
    /// The name dbt uses in test names: `orders`, or `source_table` for sources.
    var testLabel: String {
        switch self {
        case .node(_, let name): return name
        case .source(_, let sourceName, let name): return "\(sourceName)_\(name)"
        }
    }
    var isSource: Bool { if case .source = self { return true }; return false }
}

/// One `data_tests:` entry of a property file, with what it tests.
struct GenericTestRequest: Sendable {
    var test: TestDeclaration
    var target: TestTarget
    var column: String?
    var file: String
}

/// A generic test node as built, or why there is none.
struct GenericTestResult: Sendable {
    var node: ManifestNode?
    var enabled = true
    var refs: [PendingRef] = []
    var diagnostics: [Diagnostic] = []
}

extension NodeFactory {
    /// A generic test node, named as dbt names it (`synthesize_generic_test_names`).
    func genericTest(_ request: GenericTestRequest) -> GenericTestResult {
        let test = request.test, target = request.target, column = request.column, file = request.file
        let parts = test.testName.split(separator: ".", maxSplits: 1).map(String.init)
        let namespace = parts.count == 2 ? parts[0] : nil
        let testName = parts.last ?? test.testName
        // An installed package's own test macro (`dbt_utils.equality` -> `dbt_utils.test_equality`)
        // wins over sqlt's built-in copy of it.
        let packageTest = namespace.flatMap { macros.has("\($0).test_\(testName)") ? $0 : nil }
        guard packageTest != nil || macros.has("test_\(testName)") else {
            let known = macros.names.filter { $0.hasPrefix("test_") }.map { String($0.dropFirst(5)) }
            return GenericTestResult(diagnostics: [
                .error(
                    "test.unknown", "unknown test '\(test.testName)'", at: test.location, length: test.testName.count,
                    hint: closestMatch(to: testName, in: known).map { "did you mean '\($0)'?" })
            ])
        }
        var kwargs = test.arguments
        if let column { kwargs["column_name"] = .string(column) }
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
        let package = owner(of: file).name
        // Arguments that differ only in characters the name drops (regex patterns) still make two
        // tests, as in dbt: their unique ids hash the arguments as written.
        let raw = flat.joined(separator: "__")
        let hashed = file + fullName + (raw == clean ? "" : raw)
        let id = "test.\(package).\(test.customName ?? fullName).\(StableHash.hex(hashed).prefix(10))"

        var fqn = [package]
        let folder = packages.first { $0.name == package }.map { $0.folder + "/" } ?? ""
        fqn += file.dropFirst(folder.count).split(separator: "/").dropFirst().dropLast().map(String.init)
        fqn.append(name)
        var config = treeConfig(.test, fqn: fqn)
        if config["severity"] == nil { config["severity"] = "ERROR" }
        if let builtin = BuiltinGenericTests.lookup(test.testName) ?? BuiltinGenericTests.names[testName],
            !projectMacroNames.contains("test_\(testName)"), packageTest == nil
        {
            for (key, value) in builtin.defaultConfig where config[key] == nil { config[key] = value }
        }
        ConfigTree.merge(renderingProjectJinja(test.config), into: &config)
        config["alias"] = config["alias"] ?? .string(shortName)

        var node = ManifestNode(
            uniqueId: id, resourceType: .test, name: name, packageName: package, path: "\(shortName).sql",
            originalFilePath: file, fqn: fqn, database: options.target.dbname, schema: options.target.schema,
            alias: shortName, rawCode: "{{ test_\(testName)(**_dbt_generic_test_kwargs) }}", config: config,
            checksum: FileChecksum(checksum: StableHash.hex(fullName)),
            testMetadata: TestMetadata(name: testName, kwargs: kwargs, namespace: namespace), columnName: column,
            attachedNode: target.uniqueId, declaredAt: test.location)
        node.dependsOn.nodes = [target.uniqueId]
        node.dependsOn.macros = ["macro.\(packageTest ?? project.name).test_\(testName)"]
        switch target {
        case .source(_, let sourceName, let tableName): node.sources = [[sourceName, tableName]]
        case .node(_, let modelName): node.refs = [RefCall(name: modelName)]
        }
        guard config.enabled else { return GenericTestResult(node: node, enabled: false) }
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
        var diagnostics: [Diagnostic] = []
        finish(&node, &diagnostics)
        return GenericTestResult(node: node, refs: refs, diagnostics: diagnostics)
    }

    /// `ref('x')` or `source('a', 'b')` written as a test argument.
    static func isRelationExpression(_ text: String) -> Bool {
        let bytes = text.utf8
        let isBlank = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }), let last = bytes.lastIndex(where: { !isBlank($0) })
        else {
            return false
        }
        let trimmed = bytes[first...last]
        return (trimmed.starts(with: "ref(".utf8) || trimmed.starts(with: "source(".utf8))
            && trimmed.last == UInt8(ascii: ")")
    }

    /// How dbt prints an argument value inside a test name.
    func display(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return b ? "True" : "False"
        case .null: return "None"
        // Nested lists and dicts as Python's str() prints them (`[0, 1]`), as dbt names tests.
        default: return TemplateValue(value).repr
        }
    }

    /// Runs of characters other than ASCII letters, digits and `_` become one `_`.
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
}
