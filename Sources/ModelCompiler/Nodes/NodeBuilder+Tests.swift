/// Generic tests from property files, unit tests, and the edges of every node.
extension NodeBuilder {
    mutating func addGenericTests() {
        var requests: [GenericTestRequest] = []
        for file in properties {
            for (id, patch) in (file.models + file.seeds + file.snapshots).flatMap(describedNodes) {
                guard let node = nodes[id] else { continue }
                // dbt names a versioned model's tests after `<name>_v<v>`
                let target = TestTarget.node(
                    id: id,
                    name: node.version.map { "\(node.name)_v\(ModelVersionDeclaration.text(of: $0))" } ?? node.name)
                for test in patch.tests {
                    requests.append(GenericTestRequest(test: test, target: target, column: nil, file: file.file))
                }
                for column in patch.columns {
                    for test in column.tests {
                        requests.append(
                            GenericTestRequest(
                                test: test, target: target, column: column.info.testedName, file: file.file))
                    }
                }
            }
            for source in file.sources {
                for table in source.tables {
                    guard let definition = sources["source.\(project.name).\(source.name).\(table.name)"] else {
                        continue
                    }
                    let target = TestTarget.source(
                        id: definition.uniqueId, sourceName: definition.sourceName, name: definition.name)
                    for test in table.tests {
                        requests.append(GenericTestRequest(test: test, target: target, column: nil, file: file.file))
                    }
                    for column in table.columns {
                        for test in column.tests {
                            requests.append(
                                GenericTestRequest(
                                    test: test, target: target, column: column.info.testedName, file: file.file))
                        }
                    }
                }
            }
        }
        let factory = self.factory
        nodes.reserveCapacity(nodes.count + requests.count)
        pendingRefs.reserveCapacity(pendingRefs.count + requests.count)
        for result in parallelMap(requests, { factory.genericTest($0) }) {
            diagnostics += result.diagnostics
            guard let node = result.node else { continue }
            guard result.enabled else {
                disabled[node.uniqueId, default: []].append(node)
                continue
            }
            pendingRefs[node.uniqueId] = result.refs
            nodes[node.uniqueId] = node
        }
    }

    mutating func addUnitTests() {
        for file in properties {
            for test in file.unitTests {
                guard let modelId = nameIndex[test.model], let model = nodes[modelId] else {
                    diagnostics.append(
                        .error(
                            "unit-test.unknown-model", "unit test '\(test.name)' tests unknown model '\(test.model)'",
                            at: test.location,
                            hint: closestMatch(to: test.model, in: nameIndex.keys).map { "did you mean '\($0)'?" }))
                    continue
                }
                let id = "unit_test.\(project.name).\(test.model).\(test.name)"
                var config = test.config
                if config["severity"] == nil { config["severity"] = "ERROR" }
                var node = ManifestNode(
                    uniqueId: id, resourceType: .unitTest, name: test.name, packageName: project.name, path: model.path,
                    originalFilePath: file.file, fqn: [project.name, test.model, test.name],
                    database: options.target.dbname,
                    schema: options.target.schema, alias: test.name, rawCode: model.rawCode, config: config,
                    description: test.description,
                    checksum: FileChecksum(checksum: StableHash.hex(model.rawCode + test.name)),
                    attachedNode: modelId, declaredAt: test.location)
                node.tags = config.configTags
                node.unitTestFixtures = UnitTestFixtures(
                    model: test.model, given: test.given, expect: test.expect, overrides: test.overrides)
                unitTests[id] = test
                nodes[id] = node
                // A unit test reads the model's inputs' column types; it depends on the model's parents.
                pendingRefs[id] = pendingRefs[modelId] ?? []
            }
        }
    }

    /// Resolves every `ref` and `source` call into an edge, with "did you mean" for unknown names.
    /// Nodes are resolved on every core, then recorded in unique-id order.
    mutating func resolveEdges() {
        let ids = Array(pendingRefs.keys)
        let resolver = EdgeResolver(
            projectName: project.name, nameIndex: nameIndex, versionIndex: versionIndex, sources: sources,
            disabledIds: Set(disabled.keys))
        let results: [EdgeResolver.Result?] = {
            let nodes = self.nodes, pendingRefs = self.pendingRefs
            return parallelMap(ids) { id in
                guard let node = nodes[id] else { return nil }
                return resolver.resolve(node, pendingRefs[id] ?? [])
            }
        }()
        var found: [(id: String, diagnostics: [Diagnostic])] = []
        for (id, result) in zip(ids, results) {
            guard let result else { continue }
            // a unit test resolves its model's calls again: the model already reports their errors
            if !result.diagnostics.isEmpty, nodes[id]?.resourceType != .unitTest {
                found.append((id, result.diagnostics))
            }
            nodes[id]?.dependsOn.nodes = result.parents
            nodes[id]?.refs = result.refs
            nodes[id]?.sources = result.sources
        }
        record(found)
    }
}

/// Turns one node's `ref` and `source` calls into its parents, knowing every name of the project.
struct EdgeResolver: Sendable {
    let projectName: String
    let nameIndex: [String: String]
    let versionIndex: [String: [String: String]]
    let sources: [String: SourceDefinition]
    let disabledIds: Set<String>

    struct Result: Sendable {
        var parents: [String]
        var refs: [RefCall]
        var sources: [[String]]
        var diagnostics: [Diagnostic] = []
    }

    func resolve(_ node: ManifestNode, _ calls: [PendingRef]) -> Result {
        var result = Result(parents: [], refs: node.refs, sources: node.sources)
        var parents = Set(node.dependsOn.nodes)
        for pending in calls {
            let call = pending.call, kind = pending.kind, location = pending.location
            let arguments = call.arguments
            guard arguments.allSatisfy({ $0?.stringValue != nil }), !arguments.isEmpty else {
                result.diagnostics.append(
                    .error(
                        "\(kind).non-literal", "\(kind)() arguments must be literal strings", at: location,
                        length: kind.count,
                        hint: "sqlt reads dependencies without rendering; write the name as a string literal"))
                continue
            }
            let names = arguments.map { $0!.stringValue! }
            if kind == "ref" {
                let name = names.last!
                if let version = call.keyword("v") ?? call.keyword("version") {
                    let text = ModelVersionDeclaration.text(of: version)
                    guard let parent = versionIndex[name]?[text] else {
                        let known = versionIndex[name].map { Array($0.keys).sorted() } ?? []
                        result.diagnostics.append(
                            .error(
                                "ref.unknown-version",
                                known.isEmpty
                                    ? "'\(name)' is not a versioned model"
                                    : "model '\(name)' has no version \(text) (versions: \(known.joined(separator: ", ")))",
                                at: location, length: 3))
                        continue
                    }
                    parents.insert(parent)
                    let ref = RefCall(name: name, package: names.count > 1 ? names[0] : nil, version: text)
                    if !result.refs.contains(ref) { result.refs.append(ref) }
                    continue
                }
                guard let parent = nameIndex[name] else {
                    if disabledIds.contains(where: { $0.hasSuffix(".\(name)") && !$0.hasPrefix("test.") }) {
                        result.diagnostics.append(
                            .error(
                                "ref.disabled", "'\(node.name)' depends on '\(name)', which is disabled", at: location,
                                length: 3))
                    } else {
                        result.diagnostics.append(
                            .error(
                                "ref.unknown", "unknown model '\(name)'", at: location, length: 3,
                                hint: closestMatch(to: name, in: nameIndex.keys).map { "did you mean '\($0)'?" }))
                    }
                    continue
                }
                parents.insert(parent)
                let ref = RefCall(name: name, package: names.count > 1 ? names[0] : nil)
                if !result.refs.contains(ref) { result.refs.append(ref) }
            } else {
                guard names.count == 2 else {
                    result.diagnostics.append(
                        .error("source.arity", "source() takes a source name and a table name", at: location, length: 6)
                    )
                    continue
                }
                let sourceId = "source.\(projectName).\(names[0]).\(names[1])"
                guard sources[sourceId] != nil else {
                    let known = sources.values.map { "\($0.sourceName).\($0.name)" }
                    result.diagnostics.append(
                        .error(
                            "source.unknown", "unknown source '\(names[0]).\(names[1])'", at: location, length: 6,
                            hint: closestMatch(to: "\(names[0]).\(names[1])", in: known).map { "did you mean '\($0)'?" }
                        ))
                    continue
                }
                parents.insert(sourceId)
                if !result.sources.contains(names) { result.sources.append(names) }
            }
        }
        result.parents = parents.sorted()
        return result
    }
}
