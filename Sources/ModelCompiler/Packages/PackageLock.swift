/// `package-lock.yml` in dbt's format: the resolved `packages:` (transitive ones included), each
/// with its `name:`, and `sha1_hash`, the hash of the requirements it was resolved from.
public struct PackageLock: Sendable {
    public static let fileName = "package-lock.yml"

    /// The hash dbt writes for these requirements: SHA-1 of the sorted `json.dumps(sort_keys=True)`
    /// texts of the entries' contracts, joined by newlines.
    public static func hash(of specs: [PackageSpec]) -> String {
        SHA1.hex(specs.map { PythonJSON.dumps($0.contractJSON) }.sorted().joined(separator: "\n"))
    }

    /// The lock text for `packages`, as dbt's YAML dumper writes it (keys sorted, list items indented).
    public static func text(packages: [ResolvedPackage], hash: String) -> String {
        var out = "packages:\n"
        for package in packages {
            for (index, (key, value)) in package.lockEntry.enumerated() {
                out += (index == 0 ? "  - " : "    ") + key + ": " + YAMLText.scalar(value) + "\n"
            }
        }
        if packages.isEmpty { out = "packages: []\n" }
        return out + "sha1_hash: " + hash + "\n"
    }

    /// The `sha1_hash` of a lock file's text, if it has one.
    public static func recordedHash(in root: YAMLNode) -> String? { root["sha1_hash"]?.string }
}

/// Scalars written as PyYAML writes them: plain when they read back as the same text, else quoted.
enum YAMLText {
    static func scalar(_ text: String) -> String {
        plainIsSafe(text) ? text : "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    static func plainIsSafe(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last, first != " ", last != " " else { return false }
        if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
            // `-x`, `?x`, `:x` are plain when followed by a non-space; others never are.
            guard "-?:".contains(first), text.count > 1, text.dropFirst().first != " " else { return false }
        }
        if text.contains(": ") || text.contains(" #") || last == ":" { return false }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return false }
        let typed = Array(text.utf8).withUnsafeBufferPointer { YAMLScalar.value(plain: $0) }
        if case .string(let s) = typed, s == text { return true }
        return false
    }
}
