import Foundation

/// Context members of dbt that sqlt adds to every render: `api`, `fromyaml`/`toyaml`,
/// `local_md5`, `print`, `set`/`set_strict`, `invocation_args_dict`, `modules.re` and
/// `modules.itertools`, typed `run_query` results, and the `adapter` introspection methods.
enum ContextGlobals {
    /// Adds the members to `globals` (replacing the plainer `adapter` and `run_query` there).
    static func add(
        to globals: inout [String: TemplateValue], adapter: (any RuntimeAdapter)?, target: TargetInfo, command: String,
        invocationCommand: String? = nil
    ) {
        let context = AdapterContext(adapter: adapter, database: target.dbname, schema: target.schema)
        globals["adapter"] = context.object(base: globals["adapter"])
        globals["api"] = context.api()
        if case .object(let object)? = globals["adapter"], let load = object.attribute("load_relation") {
            globals["load_relation"] = load
        }
        globals["run_query"] = .function(
            TemplateFunction(name: "run_query") { args in
                guard let adapter else { return .none }
                return AgateTable.make(try adapter.execute(args.argument(0, "sql")?.description ?? ""))
            })
        var modules: [String: TemplateValue] = [:]
        if case .object(let existing)? = globals["modules"] { modules = existing.attributes }
        modules["re"] = PythonModules.re
        modules["itertools"] = PythonModules.itertools
        modules["datetime"] = PythonDatetime.module
        modules["pytz"] = PythonDatetime.pytz
        globals["modules"] = .object(TemplateObject(name: "modules", attributes: modules))
        globals["fromyaml"] = .function(
            TemplateFunction(name: "fromyaml") { args in
                let text = args.argument(0, "value")?.description ?? ""
                do throws(DiagnosticsError) {
                    return TemplateValue(try YAMLNode.parse(text, file: "<fromyaml>").json)
                } catch {
                    throw TemplateError("fromyaml(): \(error.diagnostics.first?.message ?? "invalid YAML")")
                }
            })
        globals["toyaml"] = .function(
            TemplateFunction(name: "toyaml") { args in
                guard let value = args.argument(0, "value")?.jsonValue else {
                    throw TemplateError("toyaml(): the value is not plain data")
                }
                let sort = args.argument(1, "sort_keys")?.isTruthy ?? false
                return .string(YAMLEmitter.emit(value, sortKeys: sort))
            })
        globals["local_md5"] = .function(
            TemplateFunction(name: "local_md5") { args in
                .string(MD5.hex(args.argument(0, "value")?.description ?? ""))
            })
        globals["print"] = .function(
            TemplateFunction(name: "print") { args in
                print(args.positional.map(\.description).joined(separator: " "))
                return .string("")
            })
        globals["set"] = .function(
            TemplateFunction(name: "set") { args in
                guard let value = args.argument(0, "value") else { return .list(TemplateList([], isTuple: false)) }
                guard let items = value.iterationItems else { return args.argument(1, "default") ?? .none }
                return .list(unique(items))
            })
        globals["set_strict"] = .function(
            TemplateFunction(name: "set_strict") { args in
                guard let value = args.argument(0, "value"), let items = value.iterationItems else {
                    throw TemplateError("set_strict() needs an iterable")
                }
                return .list(unique(items))
            })
        globals["invocation_args_dict"] = .dict([
            ("which", .string(command)), ("invocation_command", .string(invocationCommand ?? "sqlt \(command)")),
            ("target", .string(target.name)), ("full_refresh", .bool(false)),
        ])
        var flags: [(String, TemplateValue)] = []
        if case .dict(let existing)? = globals["flags"] { flags = existing.pairs }
        for (key, value) in [
            ("WHICH", TemplateValue.string(command)), ("STORE_FAILURES", .bool(false)), ("WARN_ERROR", .bool(false)),
        ]
        where !flags.contains(where: { $0.0 == key }) {
            flags.append((key, value))
        }
        globals["flags"] = .dict(flags)
    }

    /// Adapter methods that ask the database: called without a connection, they answer nothing.
    static let introspectionMethods: Set<String> = [
        "get_relation", "load_relation", "get_columns_in_relation", "get_missing_columns",
        "list_relations_without_caching",
        "execute", "check_schema_exists", "already_exists",
    ]

    /// Without a connection, `run_query` and the adapter's introspection methods tell `sink` they
    /// were called (the render's SQL is then a placeholder); the shared members are wrapped per render.
    static func noteIntrospection(
        in globals: inout [String: TemplateValue], shared: [String: TemplateValue], sink: RenderSink
    ) {
        globals["run_query"] = .function(
            TemplateFunction(name: "run_query") { _ in
                sink.noteIntrospection()
                return .none
            })
        guard case .object(let adapter)? = shared["adapter"] else { return }
        globals["adapter"] = .object(
            TemplateObject(
                name: "adapter",
                lookup: { key in
                    guard let value = adapter.attribute(key) else { return nil }
                    guard introspectionMethods.contains(key), case .function(let function) = value else { return value }
                    return .function(
                        TemplateFunction(name: key) { args in
                            sink.noteIntrospection()
                            return try function(args)
                        })
                }))
    }

    /// Python's `set()` of a list: unique items, sorted by their printed form, so two sets of the
    /// same items compare equal (`==`) and output never varies.
    static func unique(_ items: [TemplateValue]) -> [TemplateValue] {
        var out: [TemplateValue] = []
        for item in items where !out.contains(item) { out.append(item) }
        return out.sorted { $0.repr < $1.repr }
    }

    /// `var(name, default)` over the given vars.
    static func varFunction(_ vars: [String: JSONValue]) -> TemplateValue {
        .function(
            TemplateFunction(name: "var") { args in
                let name = args.positional.first?.description ?? ""
                if let value = vars[name] { return TemplateValue(value) }
                if args.positional.count > 1 { return args.positional[1] }
                if let value = args.keyword["default"] { return value }
                throw TemplateError(
                    "required var '\(name)' not found; set it under vars: in the project file or pass --vars '{\(name): ...}'"
                )
            })
    }

    /// The vars of a package's nodes, as dbt scopes them: the package's own project vars, the root
    /// project's global vars (entries not scoped to a project), its `<package>:` entries, `--vars`.
    static func scopedVars(
        package: InstalledPackage, root: [String: JSONValue], projects: Set<String>, overrides: [String: JSONValue]
    ) -> [String: JSONValue] {
        var vars: [String: JSONValue] = [:]
        for (key, value) in package.config.vars where !(projects.contains(key) && value.objectValue != nil) {
            vars[key] = value
        }
        if let own = package.config.vars[package.name]?.objectValue { vars.merge(own) { $1 } }
        for (key, value) in root where !(projects.contains(key) && value.objectValue != nil) { vars[key] = value }
        if let scoped = root[package.name]?.objectValue { vars.merge(scoped) { $1 } }
        vars.merge(overrides) { $1 }
        return vars
    }

    /// `builtins`: the context's own `ref`, `source` and `config`, for projects that override them.
    static func builtins(from globals: [String: TemplateValue]) -> TemplateValue {
        var attributes: [String: TemplateValue] = [:]
        for name in ["ref", "source", "config", "var", "env_var", "is_incremental", "return"] {
            attributes[name] = globals[name]
        }
        return .object(TemplateObject(name: "builtins", attributes: attributes))
    }
}

/// Writes plain data as block-style YAML (strings double-quoted when plain text would read back
/// as something else), for `toyaml`.
enum YAMLEmitter {
    static func emit(_ value: JSONValue, sortKeys: Bool) -> String {
        var out = ""
        write(value, indent: 0, into: &out, sortKeys: sortKeys, inline: false)
        return out.hasSuffix("\n") ? out : out + "\n"
    }

    static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return TemplateValue.pythonFloat(d)
        case .string(let s):
            let plain =
                !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || "_-./ ".contains($0) }
                && !s.hasPrefix(" ") && !s.hasSuffix(" ") && !s.hasPrefix("-")
            if plain, case .string = (try? YAMLNode.parse("k: \(s)", file: "<toyaml>"))?["k"].map({ $0.json }) ?? .null
            {
                return s
            }
            let data = (try? JSONEncoder().encode(JSONValue.string(s))) ?? Data()
            return String(decoding: data, as: UTF8.self)
        case .array(let a) where a.isEmpty: return "[]"
        case .object(let o) where o.isEmpty: return "{}"
        default: return ""
        }
    }

    static func write(_ value: JSONValue, indent: Int, into out: inout String, sortKeys: Bool, inline: Bool) {
        let pad = String(repeating: "  ", count: indent)
        switch value {
        case .array(let items) where !items.isEmpty:
            if inline { out += "\n" }
            for item in items {
                out += pad + "-"
                if case .object(let o) = item, !o.isEmpty {
                    out += " "
                    var nested = ""
                    write(item, indent: indent + 1, into: &nested, sortKeys: sortKeys, inline: false)
                    out += nested.dropFirst(pad.count + 2)
                } else if case .array(let a) = item, !a.isEmpty {
                    write(item, indent: indent + 1, into: &out, sortKeys: sortKeys, inline: true)
                } else {
                    out += " " + scalar(item) + "\n"
                }
            }
        case .object(let object) where !object.isEmpty:
            if inline { out += "\n" }
            let keys = sortKeys ? object.keys.sorted() : object.keys.sorted()
            for key in keys {
                out += pad + scalar(.string(key)) + ":"
                let child = object[key]!
                switch child {
                case .array(let a) where !a.isEmpty:
                    write(child, indent: indent, into: &out, sortKeys: sortKeys, inline: true)
                case .object(let o) where !o.isEmpty:
                    write(child, indent: indent + 1, into: &out, sortKeys: sortKeys, inline: true)
                default: out += " " + scalar(child) + "\n"
                }
            }
        default:
            out += (inline ? " " : pad) + scalar(value) + "\n"
        }
    }
}
