import Foundation
import Synchronization

/// dbt's secret environment variables (`DBT_ENV_SECRET_*`): usable in profiles.yml and packages.yml
/// only. A model, macro, test, hook or property file that reads one is refused, at parse time where
/// the call is written with a literal name and at render time otherwise, so a secret never reaches
/// compiled SQL, the manifest, run results, lineage events or the docs page.
public enum SecretEnvVars {
    /// The prefix that makes an environment variable secret.
    public static let prefix = "DBT_ENV_SECRET_"
    /// What dbt prints in place of a secret value.
    public static let mask = "*****"

    /// Whether `name` is a secret environment variable.
    public static func isSecret(_ name: String) -> Bool { name.hasPrefix(prefix) }

    /// The refusal for reading `name` outside profiles.yml and packages.yml.
    public static func refusal(_ name: String) -> String {
        "secret env var '\(name)' is allowed only in profiles.yml and packages.yml"
    }

    /// Every `env_var('DBT_ENV_SECRET_...')` written with a literal name in `template`, as errors at the call.
    static func refusals(in template: Template) -> [Diagnostic] {
        template.staticCalls(named: ["env_var"]).compactMap { call in
            guard case .string(let name)?? = call.arguments.first, isSecret(name) else { return nil }
            return .error(
                "template.secret_env_var", refusal(name), at: call.location, length: "env_var".count,
                hint: "read it in profiles.yml (a password, a token) and use the connection instead")
        }
    }

    /// The values of the secret environment variables, longest first (so a value that contains
    /// another is masked whole).
    public static func values(in environment: [String: String]) -> [String] {
        environment.compactMap { isSecret($0.key) && !$0.value.isEmpty ? $0.value : nil }
            .sorted { $0.utf8.count > $1.utf8.count }
    }

    /// The secrets of this process: the `DBT_ENV_SECRET_*` values of its environment, plus what
    /// `register` adds (the profile's password once the connection is resolved).
    private static let registry = Mutex<[String]>(values(in: ProcessInfo.processInfo.environment))

    /// Adds a secret (ignored when empty or shorter than 4 characters, which would mask common words).
    public static func register(_ secret: String?) {
        guard let secret, secret.count >= 4 else { return }
        registry.withLock { list in
            guard !list.contains(secret) else { return }
            list.append(secret)
            list.sort { $0.utf8.count > $1.utf8.count }
        }
    }

    /// `text` with every registered secret masked: for what sqlt prints and the artifacts it writes.
    public static func scrubbed(_ text: String) -> String {
        scrub(text, secrets: forms(of: registry.withLock { $0 }.filter { $0.count >= shortestScrubbed }))
    }

    /// Whether a secret is registered: when none is, writers skip scrubbing altogether.
    public static var hasSecrets: Bool { registry.withLock { $0.contains { $0.count >= shortestScrubbed } } }

    /// Secrets shorter than this are not masked (as `register` ignores such passwords): masking
    /// a `1` or a `true` would break every JSON artifact and console line, and so short a value
    /// protects nothing.
    static let shortestScrubbed = 4

    /// `bytes` with every registered secret masked, in the forms a secret takes in what sqlt
    /// writes (as is, and escaped inside a JSON string); `bytes` itself when none occurs. Every
    /// file sqlt writes (`AtomicFile`) and every event it posts goes through here.
    public static func scrubbed(bytes: [UInt8]) -> [UInt8] {
        let secrets = registry.withLock { $0 }.filter { $0.count >= shortestScrubbed }
        guard !secrets.isEmpty else { return bytes }
        var out = bytes
        let mask = Array(Self.mask.utf8)
        for form in forms(of: secrets) {
            let needle = Array(form.utf8)
            guard !needle.isEmpty, out.firstRange(of: needle) != nil else { continue }
            out = out.replacing(needle, with: mask)
        }
        return out
    }

    /// Each secret as is, then escaped as JSON writes it inside a string (`"`, `\`, control
    /// characters; `/` plain and as `\/`), longest first.
    static func forms(of secrets: [String]) -> [String] {
        var forms: [String] = []
        for secret in secrets {
            for form in [secret, jsonEscaped(secret, slash: "/"), jsonEscaped(secret, slash: "\\/")]
            where !forms.contains(form) {
                forms.append(form)
            }
        }
        return forms.sorted { $0.utf8.count > $1.utf8.count }
    }

    private static func jsonEscaped(_ text: String, slash: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/": out += slash
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `text` with every occurrence of each of `secrets` replaced by `*****`.
    public static func scrub(_ text: String, secrets: [String]) -> String {
        var out = text
        for secret in secrets where !secret.isEmpty && out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: mask)
        }
        return out
    }
}
