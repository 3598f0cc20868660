import ModelCompiler

/// Names of the temporary, probe and index relations sqlt creates, within PostgreSQL's 63-byte limit.
public enum RelationNaming {
    /// PostgreSQL's `NAMEDATALEN - 1`.
    public static let maximumLength = 63

    /// `<name>__sqlt_tmp_<suffix>`.
    public static func temporary(_ name: String, suffix: String) -> String { withSuffix(name, "__sqlt_tmp_\(suffix)") }
    /// `<name>__sqlt_probe_<suffix>` (materialized view definition probes).
    public static func probe(_ name: String, suffix: String) -> String { withSuffix(name, "__sqlt_probe_\(suffix)") }

    /// The short form of an invocation id used in names: its first 8 hexadecimal digits.
    public static func shortSuffix(_ invocationId: String) -> String {
        let hex = invocationId.lowercased().filter { $0.isHexDigit }
        let short = String(hex.prefix(8))
        return short.isEmpty ? "run" : short
    }

    /// A deterministic index name: `<relation>_<hash of columns, uniqueness and method>_idx`.
    public static func index(relation: String, index: IndexConfig) -> String {
        let key = index.columns.joined(separator: ",") + "|" + (index.unique ? "unique" : "") + "|" + index.type
        return withSuffix(relation, "_\(stableHash(key))_idx")
    }

    /// `name` cut so that `name + suffix` fits in 63 bytes.
    public static func withSuffix(_ name: String, _ suffix: String) -> String {
        let room = maximumLength - suffix.utf8.count
        var base = name
        while base.utf8.count > room { base.removeLast() }
        return base + suffix
    }

    /// FNV-1a 64-bit hash as 12 hexadecimal digits: stable across runs and platforms.
    public static func stableHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String((String(repeating: "0", count: max(0, 16 - hex.count)) + hex).prefix(12))
    }
}
