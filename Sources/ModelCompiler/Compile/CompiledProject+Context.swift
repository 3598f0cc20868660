import Foundation

/// The dbt context a node is rendered in: `ref`, `source`, `config`, `var`, `env_var`,
/// `is_incremental`, `this`, `target`, `run_started_at`, `invocation_id`, `log`, `exceptions`,
/// `adapter`, `modules`, `run_query`, `execute`.
extension CompiledProject {
    func context(
        for node: ManifestNode, options: RenderOptions, adapter: (any RuntimeAdapter)?, sink: RenderSink
    ) -> RenderContext {
        var globals: [String: TemplateValue] = [:]
        globals.reserveCapacity(8)
        let manifest = self.manifest
        let nameIndex = self.nameIndex
        let declared = node.dependsOn.nodes
        let nodeName = node.name
        let checkDeclared = node.resourceType != .unitTest && node.resourceType != .operation
        // dbt samples what models and snapshots read, not tests.
        let sampled = options.sample != nil && (node.resourceType == .model || node.resourceType == .snapshot)

        globals["ref"] = .function(
            TemplateFunction(name: "ref") { args in
                let names = args.positional.map(\.description)
                guard let name = names.last, !names.isEmpty else { throw TemplateError("ref() needs a model name") }
                let version = (args.keyword["v"] ?? args.keyword["version"])?.jsonValue.map(
                    ModelVersionDeclaration.text(of:))
                let versionId = version.map { "model.\(manifest.metadata.projectName).\(name).v\($0)" }
                guard let id = versionId ?? nameIndex[name], let target = manifest.nodes[id] else {
                    throw TemplateError(
                        version.map { "unknown version \($0) of model '\(name)'" } ?? "unknown model '\(name)'")
                }
                if checkDeclared, !declared.contains(id) {
                    throw TemplateError(
                        "'\(nodeName)' calls ref('\(name)') but the dependency was not found when reading the file; add a line `-- depends_on: {{ ref('\(name)') }}`"
                    )
                }
                if target.materialization == .ephemeral {
                    sink.noteEphemeral(id)
                    return RelationValue.ephemeral(target.name).value
                }
                return CompiledProject.relation(
                    schema: target.schema, identifier: target.alias, database: target.database, empty: options.empty,
                    type: CompiledProject.relationType(target),
                    filter: sampled
                        ? target.config["event_time"]?.stringValue.flatMap { options.sample?.filter($0) } : nil)
            })
        globals["source"] = .function(
            TemplateFunction(name: "source") { args in
                guard args.positional.count == 2 else {
                    throw TemplateError("source() takes a source name and a table name")
                }
                let sourceName = args.positional[0].description, table = args.positional[1].description
                guard let source = manifest.sources["source.\(manifest.metadata.projectName).\(sourceName).\(table)"]
                else {
                    throw TemplateError("unknown source '\(sourceName).\(table)'")
                }
                return CompiledProject.relation(
                    schema: source.schema, identifier: source.identifier, database: source.database,
                    empty: options.empty,
                    filter: sampled
                        ? source.config["event_time"]?.stringValue.flatMap { options.sample?.filter($0) } : nil)
            })
        let nodeConfig = node.config
        let configGet = TemplateFunction(name: "get") { args in
            let key = args.positional.first?.description ?? ""
            if let value = nodeConfig[key] { return TemplateValue(value) }
            return args.positional.count > 1 ? args.positional[1] : (args.keyword["default"] ?? .none)
        }
        globals["config"] = .object(
            TemplateObject(
                name: "config", attributes: ["get": .function(configGet), "require": .function(configGet)], text: "",
                call: TemplateFunction(name: "config") { args in
                    for key in args.keywordOrder {
                        if let value = args.keyword[key]?.jsonValue { sink.noteConfig(key, value) }
                    }
                    return .string("")
                }))
        // dbt's `should_store_failures()` and `should_full_refresh()`: the node's config, else the flags.
        globals["should_store_failures"] = .function(
            TemplateFunction(name: "should_store_failures") { _ in
                .bool(nodeConfig["store_failures"]?.boolValue ?? false)
            })
        globals["should_full_refresh"] = .function(
            TemplateFunction(name: "should_full_refresh") { _ in
                .bool(nodeConfig["full_refresh"]?.boolValue ?? false)
            })
        globals["is_incremental"] = .function(
            TemplateFunction(name: "is_incremental") { _ in .bool(options.isIncremental) })
        if node.resourceType == .model || node.resourceType == .seed || node.resourceType == .snapshot {
            globals["this"] = CompiledProject.relation(
                schema: node.schema, identifier: node.alias, database: node.database, empty: false,
                type: CompiledProject.relationType(node))
        }
        globals["model"] = CompiledProject.nodeObject(node)
        for (name, value) in StatementResults(adapter: adapter, sink: sink).globals { globals[name] = value }
        if adapter == nil { ContextGlobals.noteIntrospection(in: &globals, shared: compileGlobals, sink: sink) }
        if let scoped = packageVars[node.packageName] { globals["var"] = ContextGlobals.varFunction(scoped) }
        globals["builtins"] = ContextGlobals.builtins(from: globals)
        globals["graph"] = CompiledProject.graphValue(manifest)
        return RenderContext(globals: globals, sharedGlobals: baseGlobals(adapter: adapter), macros: macros)
    }

    /// The globals that do not depend on the node.
    func baseGlobals(adapter: (any RuntimeAdapter)?) -> [String: TemplateValue] {
        if adapter == nil { return compileGlobals }
        return CompiledProject.baseGlobals(projectName: config.name, vars: vars, options: options, adapter: adapter)
    }

    /// `model` as templates see it: a dict with sorted keys, built only if the template reads it
    /// (most do not, and converting the config took a third of a compile's rendering).
    static func nodeObject(_ node: ManifestNode) -> TemplateValue {
        let name = node.name, uniqueId = node.uniqueId, resourceType = node.resourceType.rawValue, schema = node.schema
        let alias = node.alias, originalFilePath = node.originalFilePath, config = node.config, tags = node.tags
        let packageName = node.packageName, fqn = node.fqn, version = node.version
        return .dict(
            TemplateDict(lazy: {
                [
                    ("alias", .string(alias)), ("config", TemplateValue(JSONValue.object(config))),
                    ("fqn", .list(fqn.map(TemplateValue.string))), ("name", .string(name)),
                    ("original_file_path", .string(originalFilePath)), ("package_name", .string(packageName)),
                    ("resource_type", .string(resourceType)), ("schema", .string(schema)),
                    ("tags", .list(tags.map(TemplateValue.string))), ("unique_id", .string(uniqueId)),
                    ("version", version.map { TemplateValue($0) } ?? .none),
                ]
            }))
    }

    /// The relation type a node builds: `view`, `table` (tables, incrementals, seeds, snapshots),
    /// `materialized_view`, or `cte` for an ephemeral model.
    static func relationType(_ node: ManifestNode) -> String {
        switch node.materialization {
        case .view?: return "view"
        case .materializedView?: return "materialized_view"
        case .ephemeral?: return "cte"
        case .table?, .incremental?, .snapshot?, .seed?, nil: return "table"
        }
    }

    /// `graph`: the manifest's nodes and sources as dicts, built only if a template reads it.
    static func graphValue(_ manifest: Manifest) -> TemplateValue {
        .dict(
            TemplateDict(lazy: {
                let nodes: [(String, TemplateValue)] = manifest.nodes.keys.sorted().map { id in
                    let node = manifest.nodes[id]!
                    return (
                        id,
                        .dict([
                            ("unique_id", .string(id)), ("name", .string(node.name)),
                            ("resource_type", .string(node.resourceType.rawValue)),
                            ("package_name", .string(node.packageName)), ("path", .string(node.path)),
                            ("original_file_path", .string(node.originalFilePath)),
                            ("fqn", .list(node.fqn.map(TemplateValue.string))),
                            ("database", node.database.map(TemplateValue.string) ?? .none),
                            ("schema", .string(node.schema)),
                            ("alias", .string(node.alias)),
                            ("relation_name", node.relationName.map(TemplateValue.string) ?? .none),
                            ("config", TemplateValue(JSONValue.object(node.config))),
                            ("tags", .list(node.tags.map(TemplateValue.string))),
                            ("description", .string(node.description)), ("raw_code", .string(node.rawCode)),
                            (
                                "depends_on",
                                .dict([
                                    ("nodes", .list(node.dependsOn.nodes.map(TemplateValue.string))),
                                    ("macros", .list(node.dependsOn.macros.map(TemplateValue.string))),
                                ])
                            ),
                            (
                                "columns",
                                .dict(
                                    node.orderedColumns.map { column in
                                        (
                                            column.name,
                                            .dict([
                                                ("name", .string(column.name)),
                                                ("description", .string(column.description)),
                                                ("data_type", column.dataType.map(TemplateValue.string) ?? .none),
                                            ])
                                        )
                                    })
                            ),
                            (
                                "test_metadata",
                                node.testMetadata.map { test in
                                    TemplateValue.dict([
                                        ("name", .string(test.name)),
                                        ("kwargs", TemplateValue(JSONValue.object(test.kwargs))),
                                        ("namespace", test.namespace.map(TemplateValue.string) ?? .none),
                                    ])
                                } ?? .none
                            ),
                        ])
                    )
                }
                let sources: [(String, TemplateValue)] = manifest.sources.keys.sorted().map { id in
                    let source = manifest.sources[id]!
                    return (
                        id,
                        .dict([
                            ("unique_id", .string(id)), ("name", .string(source.name)),
                            ("source_name", .string(source.sourceName)),
                            ("resource_type", .string("source")), ("package_name", .string(source.packageName)),
                            ("database", source.database.map(TemplateValue.string) ?? .none),
                            ("schema", .string(source.schema)),
                            ("identifier", .string(source.identifier)),
                        ])
                    )
                }
                return [
                    ("nodes", .dict(nodes)), ("sources", .dict(sources)), ("exposures", .dict([])),
                    ("metrics", .dict([])),
                ]
            }))
    }

    /// The globals shared by every node of a compile.
    static func baseGlobals(
        projectName: String, vars: [String: JSONValue], options: CompileOptions, adapter: (any RuntimeAdapter)?
    ) -> [String: TemplateValue] {
        var globals: [String: TemplateValue] = [:]
        let environment = options.environment
        let warnError = options.warnError
        let target = options.target
        globals["var"] = .function(
            TemplateFunction(name: "var") { args in
                let name = args.positional.first?.description ?? ""
                if let value = vars[name] { return TemplateValue(value) }
                if args.positional.count > 1 { return args.positional[1] }
                if let value = args.keyword["default"] { return value }
                throw TemplateError(
                    "required var '\(name)' not found; set it under vars: in the project file or pass --vars '{\(name): ...}'"
                )
            })
        globals["env_var"] = .function(
            TemplateFunction(name: "env_var") { args in
                let name = args.positional.first?.description ?? ""
                if SecretEnvVars.isSecret(name) { throw TemplateError(SecretEnvVars.refusal(name)) }
                if let value = environment[name] { return .string(value) }
                if args.positional.count > 1 { return args.positional[1] }
                if let value = args.keyword["default"] { return value }
                throw TemplateError("env var required but not provided: '\(name)'")
            })
        globals["target"] = TemplateValue(
            JSONValue.object([
                "name": .string(target.name), "profile_name": .string(target.profileName),
                "schema": .string(target.schema),
                "type": .string(target.type), "threads": .int(target.threads), "dbname": .string(target.dbname),
                "database": .string(target.dbname), "user": .string(target.user), "host": .string(target.host),
                "port": .int(target.port),
            ]))
        globals["project_name"] = .string(projectName)
        globals["invocation_id"] = .string(options.invocationId)
        globals["run_started_at"] = DateValues.datetime(options.runStartedAt)
        globals["modules"] = .object(TemplateObject(name: "modules", attributes: ["datetime": DateValues.module]))
        globals["execute"] = .bool(adapter != nil)
        globals["flags"] = TemplateValue(
            JSONValue.object(["FULL_REFRESH": .bool(false), "WHICH": .string(options.command)]))
        globals["log"] = .function(
            TemplateFunction(name: "log") { args in
                if let message = args.positional.first?.description {
                    FileHandle.standardError.write(Data((message + "\n").utf8))
                }
                return .string("")
            })
        globals["exceptions"] = .object(
            TemplateObject(
                name: "exceptions",
                attributes: [
                    "raise_compiler_error": .function(
                        TemplateFunction(name: "raise_compiler_error") { args in
                            throw TemplateError(args.positional.first?.description ?? "compilation error")
                        }),
                    "warn": .function(
                        TemplateFunction(name: "warn") { args in
                            // --warn-error: dbt's exceptions.warn raises a compilation error
                            if warnError { throw TemplateError(args.positional.first?.description ?? "warning") }
                            FileHandle.standardError.write(
                                Data(("warning: " + (args.positional.first?.description ?? "") + "\n").utf8))
                            return .string("")
                        }),
                ]))
        globals["adapter"] = .object(
            TemplateObject(
                name: "adapter",
                attributes: [
                    "dispatch": .function(AdapterDispatch.function),
                    "quote": .function(
                        TemplateFunction(name: "quote") { args in
                            let name = args.positional.first?.description ?? ""
                            return .string("\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
                        }),
                    "get_columns_in_relation": .function(
                        TemplateFunction(name: "get_columns_in_relation") { args in
                            guard let adapter else { return .list([]) }
                            let relation = args.positional.first
                            var schema = target.schema, name = relation?.description ?? ""
                            if case .object(let object)? = relation {
                                schema = object.attribute("schema")?.description ?? schema
                                name = object.attribute("identifier")?.description ?? name
                            }
                            let result = try adapter.runQuery(
                                "select column_name, data_type from information_schema.columns where table_schema = '\(schema.replacingOccurrences(of: "'", with: "''"))' and table_name = '\(name.replacingOccurrences(of: "'", with: "''"))' order by ordinal_position"
                            )
                            return .list(
                                result.rows.map { row in
                                    TemplateValue(
                                        JSONValue.object([
                                            "name": .string(row[0] ?? ""), "column": .string(row[0] ?? ""),
                                            "data_type": .string(row[1] ?? ""), "dtype": .string(row[1] ?? ""),
                                        ]))
                                })
                        }),
                ]))
        globals["tojson"] = .function(
            TemplateFunction(name: "tojson") { args in
                guard let json = args.positional.first?.jsonValue, let data = try? JSONEncoder().encode(json) else {
                    return .string("null")
                }
                return .string(String(decoding: data, as: UTF8.self))
            })
        globals["fromjson"] = .function(
            TemplateFunction(name: "fromjson") { args in
                let text = args.positional.first?.description ?? "null"
                guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
                    throw TemplateError("invalid JSON")
                }
                return TemplateValue(value)
            })
        ContextGlobals.add(
            to: &globals, adapter: adapter, target: target, command: options.command,
            invocationCommand: options.invocationCommand)
        return globals
    }

    /// `"` doubled, without a trip through NSString when there is none.
    static func doublingQuotes(_ name: String) -> String {
        name.utf8.contains(UInt8(ascii: "\"")) ? name.replacingOccurrences(of: "\"", with: "\"\"") : name
    }

    /// A relation value: prints as `"schema"."identifier"`, with dbt's attributes (`RelationValue`);
    /// `filter` (`--sample`) reads it through a filtered subquery.
    static func relation(
        schema: String, identifier: String, database: String?, empty: Bool, type: String? = nil, filter: String? = nil
    ) -> TemplateValue {
        var relation = RelationValue.project(
            schema: schema, identifier: identifier, database: database, type: type, empty: empty)
        relation.filter = filter
        return relation.value
    }
}
