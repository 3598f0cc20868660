import Foundation

/// The profile target as templates see it (`target.name`, `target.schema`, ...).
public struct TargetInfo: Sendable, Hashable {
    public var name: String
    public var profileName: String
    public var schema: String
    public var type: String
    public var threads: Int
    public var dbname: String
    public var user: String
    public var host: String
    public var port: Int

    public init(
        name: String = "dev", profileName: String = "default", schema: String = "public", type: String = "postgres",
        threads: Int = 4, dbname: String = "postgres", user: String = "postgres", host: String = "localhost",
        port: Int = 5432
    ) {
        self.name = name
        self.profileName = profileName
        self.schema = schema
        self.type = type
        self.threads = threads
        self.dbname = dbname
        self.user = user
        self.host = host
        self.port = port
    }
}

/// Everything a compile depends on besides the project files.
public struct CompileOptions: Sendable {
    public var target: TargetInfo
    /// `--vars`, overriding the project's `vars:`.
    public var vars: [String: JSONValue]
    public var invocationId: String
    public var runStartedAt: Date
    /// The process environment, for `env_var()`.
    public var environment: [String: String]
    /// `--warn-error`: warnings fail the compile.
    public var warnError: Bool
    /// Parse compiled SQL with PostgreSQL's parser and report syntax errors.
    public var checkSQL: Bool
    /// dbt's `flags.WHICH` and `invocation_args_dict.which`: the command's last word (`build`,
    /// `freshness` for `source freshness`, `generate` for `docs generate`).
    public var command = "run"
    /// `invocation_args_dict.invocation_command` (`sqlt build -s x`); nil gives `sqlt <command>`.
    public var invocationCommand: String?

    public init(
        target: TargetInfo = TargetInfo(), vars: [String: JSONValue] = [:],
        invocationId: String = UUID().uuidString.lowercased(),
        runStartedAt: Date = Date(), environment: [String: String] = ProcessInfo.processInfo.environment,
        warnError: Bool = false, checkSQL: Bool = true
    ) {
        self.target = target
        self.vars = vars
        self.invocationId = invocationId
        self.runStartedAt = runStartedAt
        self.environment = environment
        self.warnError = warnError
        self.checkSQL = checkSQL
    }
}

/// A stable, fast, non-cryptographic hash (FNV-1a, 64 bits) as hex: checksums and test ids.
public enum StableHash {
    public static func hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

extension StringProtocol {
    /// Only whitespace and newlines (or empty). Any ASCII byte that is not a space, tab or line
    /// break settles it without Foundation's character sets, which cost more than parsing on
    /// thousands of compiled nodes.
    var isBlank: Bool {
        for byte in utf8 {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D: continue
            case ..<0x80: return false
            default: return unicodeScalars.allSatisfy(CharacterSet.whitespacesAndNewlines.contains)
            }
        }
        return true
    }
}
