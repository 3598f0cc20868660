import Foundation
import ModelCompiler

/// dbt's `profiles.yml`: `<profile>: {target: dev, outputs: {dev: {type: postgres, host, port, user,
/// password, dbname, schema, threads, sslmode, connect_timeout}}}`. String values may use
/// `{{ env_var('NAME', 'default') }}`, rendered by the template engine.
public enum ProfilesFile {
    static let outputKeys: Set<String> = [
        "type", "host", "port", "user", "username", "password", "pass", "dbname", "database", "schema", "threads",
        "sslmode", "connect_timeout", "keepalives_idle", "search_path", "role", "retries", "sslcert", "sslkey",
        "sslrootcert", "application_name", "statement_timeout",
    ]

    /// Reads one profile's target from profiles.yml text.
    /// - Parameters:
    ///   - profile: the profile name (the project file's `profile:`).
    ///   - target: `--target`, else the profile's `target:`.
    public static func settings(
        text: String, file: String, profile: String, target: String?, environment: [String: String]
    ) throws -> (settings: ConnectionSettings, target: String) {
        let root = try YAMLNode.parse(text, file: file)
        let profiles = (root.entries ?? []).filter { $0.key != "config" }
        guard let entry = profiles.first(where: { $0.key == profile }) else {
            let known = profiles.map(\.key).sorted()
            throw DiagnosticsError([.error(
                "profile.unknown", "no profile '\(profile)' in \(file)", at: root.location,
                hint: known.isEmpty ? "the file defines no profile" : "profiles defined: \(known.joined(separator: ", "))")])
        }
        let outputs = entry.value["outputs"]?.entries ?? []
        guard let targetName = target ?? entry.value["target"]?.string else {
            throw DiagnosticsError([.error("profile.no-target", "profile '\(profile)' has no 'target:' and no --target was given", at: entry.keyLocation)])
        }
        guard let output = outputs.first(where: { $0.key == targetName }) else {
            let known = outputs.map(\.key).sorted()
            throw DiagnosticsError([.error(
                "profile.unknown-target", "profile '\(profile)' has no target '\(targetName)'", at: entry.keyLocation,
                hint: known.isEmpty ? "the profile defines no outputs" : "targets defined: \(known.joined(separator: ", "))")])
        }
        var values: [String: String] = [:]
        var diagnostics: [Diagnostic] = []
        for field in output.value.entries ?? [] {
            if !outputKeys.contains(field.key) {
                diagnostics.append(.warning("profile.unknown-key", "unknown key '\(field.key)' in profile '\(profile)'", at: field.keyLocation))
            }
            guard let raw = field.value.string else { continue }
            do {
                values[field.key] = try render(raw, file: file, at: field.value.location, environment: environment)
            } catch let error as DiagnosticsError {
                diagnostics += error.diagnostics
            }
        }
        let errors = diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        if let type = values["type"], type != "postgres" {
            throw DiagnosticsError([.error(
                "profile.type", "profile '\(profile)' target '\(targetName)' has type '\(type)'; sqlt works with postgres", at: output.keyLocation)])
        }
        func int(_ key: String) throws -> Int? {
            guard let text = values[key] else { return nil }
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw DiagnosticsError([.error("profile.invalid", "'\(key)' must be a whole number, not '\(text)'", at: output.value[key]?.location ?? output.keyLocation)])
            }
            return value
        }
        let settings = ConnectionSettings(
            host: values["host"], port: try int("port"), user: values["user"] ?? values["username"],
            password: values["password"] ?? values["pass"], dbname: values["dbname"] ?? values["database"],
            schema: values["schema"] ?? "public", threads: try int("threads"), sslmode: values["sslmode"],
            connectTimeout: try int("connect_timeout"), statementTimeout: try int("statement_timeout"),
            options: values["search_path"].map { "-c search_path=\($0)" },
            origin: "profiles.yml at \(file) (profile \(profile), target \(targetName))")
        return (settings, targetName)
    }

    /// Renders `{{ env_var(...) }}` in a profile value.
    static func render(_ raw: String, file: String, at location: SourceLocation, environment: [String: String]) throws -> String {
        guard raw.contains("{{") || raw.contains("{%") else { return raw }
        let envVar = TemplateFunction(name: "env_var") { args in
            let name = try args.string(0, "var", of: "env_var")
            if let value = environment[name] { return .string(value) }
            if let fallback = args.argument(1, "default") { return fallback }
            throw TemplateError("environment variable '\(name)' is not set and has no default")
        }
        do {
            let template = try Template.parse(raw, file: file)
            return try template.render(RenderContext(globals: ["env_var": .function(envVar)]))
        } catch {
            throw DiagnosticsError(error.diagnostics.map { d in
                var copy = d
                copy.location = location
                return copy
            })
        }
    }
}
