import Foundation
import ModelCompiler

/// dbt's `profiles.yml`: `<profile>: {target: dev, outputs: {dev: {type: postgres, host, ...}}}`.
///
/// Values may use `{{ env_var('NAME') }}` and `{{ env_var('NAME', 'default') }}`; they are
/// rendered only for the target that is used, as dbt does.
public struct ProfilesFile: Sendable {
    /// One output (target) of a profile, before rendering.
    struct Output: Sendable {
        var name: String
        var location: SourceLocation?
        var fields: [String: (value: String, location: SourceLocation?)]
    }

    /// One profile: its default target and its outputs.
    struct Profile: Sendable {
        var name: String
        var location: SourceLocation?
        var defaultTarget: String?
        var defaultTargetLocation: SourceLocation?
        var outputs: [String: Output]
    }

    /// The file's path, as printed in errors.
    public let path: String
    let profiles: [String: Profile]

    /// The profile names, sorted.
    public var profileNames: [String] { profiles.keys.sorted() }

    /// Parses the text of a `profiles.yml`. Values are kept as written (a password `0123` is not a
    /// number), so the YAML is read with `.text` scalar typing.
    public init(text: String, path: String) throws(Diagnostic) {
        self.path = path
        let root: YAMLNode
        do {
            root = try YAMLNode.compose(text, file: path, scalars: .text)
        } catch {
            throw Diagnostic.error("profiles.yaml", "invalid YAML: \(error.problem)", at: error.location)
        }
        guard let mapping = root.entries, !mapping.isEmpty else {
            throw Diagnostic.error(
                "profiles.shape", "profiles.yml must be a mapping of profile names",
                at: SourceLocation(file: path, line: 1, column: 1))
        }
        var profiles: [String: Profile] = [:]
        for entry in mapping {
            let name = entry.key
            if name == "config" { continue }
            let at = entry.keyLocation
            guard entry.value.entries != nil else {
                throw Diagnostic.error(
                    "profiles.shape", "profile '\(name)' must be a mapping with target and outputs", at: at)
            }
            var profile = Profile(name: name, location: at, outputs: [:])
            if let target = entry.value["target"] {
                profile.defaultTarget = target.string
                profile.defaultTargetLocation = target.location
            }
            guard let outputs = entry.value["outputs"]?.entries else {
                throw Diagnostic.error("profiles.shape", "profile '\(name)' has no outputs mapping", at: at)
            }
            for output in outputs {
                let outputName = output.key
                guard let fields = output.value.entries else {
                    throw Diagnostic.error(
                        "profiles.shape", "output '\(outputName)' of profile '\(name)' must be a mapping",
                        at: output.keyLocation)
                }
                var parsed = Output(name: outputName, location: output.keyLocation, fields: [:])
                for field in fields {
                    guard case .scalar(.string(let value), let location) = field.value else { continue }
                    parsed.fields[field.key] = (value, location)
                }
                profile.outputs[outputName] = parsed
            }
            profiles[name] = profile
        }
        self.profiles = profiles
    }

    /// The target name when `profile`'s `target` (or its default target) is `type: embedded`:
    /// the project's embedded PostgreSQL, as `sqlt init` writes it.
    public func embeddedTarget(profile profileName: String, target: String?) -> String? {
        guard let profile = profiles[profileName], let name = target ?? profile.defaultTarget,
            let output = profile.outputs[name], output.fields["type"]?.value == "embedded"
        else { return nil }
        return name
    }

    /// The settings of `profile`'s `target` (or its default target), with `env_var` rendered.
    /// Returns the settings and the target name used.
    public func settings(
        profile profileName: String, target: String?, environment: [String: String]
    ) throws(Diagnostic) -> (settings: ConnectionSettings, target: String) {
        guard let profile = profiles[profileName] else {
            let known =
                profileNames.isEmpty
                ? "it defines no profiles" : "profiles defined: \(profileNames.joined(separator: ", "))"
            throw Diagnostic.error("profiles.unknown_profile", "profile '\(profileName)' is not in \(path) (\(known))")
        }
        let renderer = EnvVarRenderer(environment: environment)
        let targetName: String
        if let target {
            targetName = target
        } else if let defaultTarget = profile.defaultTarget {
            targetName = try renderer.render(defaultTarget, at: profile.defaultTargetLocation)
        } else {
            throw Diagnostic.error(
                "profiles.no_target", "profile '\(profileName)' names no target: add target: to it or pass --target",
                at: profile.location)
        }
        guard let output = profile.outputs[targetName] else {
            let known = profile.outputs.keys.sorted()
            throw Diagnostic.error(
                "profiles.unknown_target",
                "target '\(targetName)' is not an output of profile '\(profileName)' (targets defined: \(known.isEmpty ? "none" : known.joined(separator: ", ")))",
                at: target == nil ? profile.defaultTargetLocation : profile.location)
        }
        var values: [String: (value: String, location: SourceLocation?)] = [:]
        for (key, field) in output.fields {
            values[key] = (try renderer.render(field.value, at: field.location), field.location)
        }
        func text(_ keys: String...) -> String? {
            for key in keys { if let value = values[key]?.value, !value.isEmpty { return value } }
            return nil
        }
        func number(_ key: String) throws(Diagnostic) -> Int? {
            guard let field = values[key], !field.value.isEmpty else { return nil }
            guard let value = Int(field.value.trimmingCharacters(in: .whitespaces)) else {
                throw Diagnostic.error(
                    "profiles.number", "\(key) must be a whole number, not '\(field.value)'", at: field.location)
            }
            // threads, a port and timeouts are never negative (threads: -4 silently meant one thread)
            guard value >= 0, key != "threads" || value >= 1 else {
                throw Diagnostic.error(
                    "profiles.number", "\(key) must be \(key == "threads" ? "at least 1" : "0 or more"), not \(value)",
                    at: field.location)
            }
            return value
        }
        let type = text("type") ?? ""
        guard type == "postgres" || type == "postgresql" else {
            throw Diagnostic.error(
                "profiles.type",
                type.isEmpty
                    ? "output '\(targetName)' of profile '\(profileName)' has no type: sqlt needs type: postgres"
                    : "output '\(targetName)' of profile '\(profileName)' has type '\(type)': sqlt supports only postgres",
                at: values["type"]?.location ?? output.location)
        }
        var settings = ConnectionSettings(
            host: text("host"), port: try number("port"), user: text("user", "username"),
            password: text("password", "pass"),
            dbname: text("dbname", "database"), schema: text("schema") ?? "public", threads: try number("threads") ?? 1,
            sslmode: text("sslmode"), connectTimeout: try number("connect_timeout"),
            statementTimeout: try number("statement_timeout"), options: nil,
            keepalivesIdle: try number("keepalives_idle"),
            origin: "profiles.yml at \(path) (profile \(profileName), target \(targetName))")
        if let searchPath = text("search_path") { settings.options = "-c search_path=\(searchPath)" }
        return (settings, targetName)
    }
}
