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
        scrub(text, secrets: registry.withLock { $0 })
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
