/// The configuration of a snapshot (SCD type 2), read and checked once: by the compiler, so a
/// bad value is a compile error at the snapshot's file, and by the runner's planner.
///
/// Keys and meanings are dbt 1.9+'s: `strategy` (`timestamp` with `updated_at`, or `check` with
/// `check_cols` a list or `all`), `unique_key` (a column or expression, or a list of them),
/// `hard_deletes` (`ignore`, `invalidate`, `new_record`; the older `invalidate_hard_deletes:
/// true` means `invalidate`), `dbt_valid_to_current` (an SQL expression used instead of null for
/// current rows) and `snapshot_meta_column_names` (other names for the dbt_* columns).
public struct SnapshotSettings: Sendable, Hashable {
    public enum Strategy: Sendable, Hashable {
        /// A row changed when its `updated_at` is later than the current version's valid_from.
        case timestamp(updatedAt: String)
        /// A row changed when one of these columns differs; nil means `all` (every column of the query).
        case check(columns: [String]?, updatedAt: String?)
    }

    public enum HardDeletes: String, Sendable, Hashable {
        case ignore, invalidate
        case newRecord = "new_record"
    }

    /// The names of the five columns a snapshot adds.
    public struct ColumnNames: Sendable, Hashable {
        public var scdId = "dbt_scd_id"
        public var updatedAt = "dbt_updated_at"
        public var validFrom = "dbt_valid_from"
        public var validTo = "dbt_valid_to"
        public var isDeleted = "dbt_is_deleted"
        public init() {}
    }

    public var strategy: Strategy
    /// Key columns or expressions, as written.
    public var uniqueKey: [String]
    /// Whether `unique_key` was written as a list (dbt then stages `dbt_unique_key_1..n`).
    public var uniqueKeyIsList: Bool
    public var hardDeletes: HardDeletes
    /// `dbt_valid_to_current`, an SQL expression such as `'9999-12-31'::timestamp`.
    public var validToCurrent: String?
    public var columns: ColumnNames

    static let strategies = ["timestamp", "check"]

    /// Reads a snapshot's configuration; a missing or malformed key is a diagnostic at `location`.
    public init(config: NodeConfig, location: SourceLocation) throws(Diagnostic) {
        func invalid(_ message: String, hint: String? = nil) -> Diagnostic {
            .error("snapshot.config", message, at: location, hint: hint)
        }
        guard let strategyName = config["strategy"]?.stringValue?.lowercased() else {
            throw invalid(
                "snapshot has no 'strategy'",
                hint: "set strategy: timestamp (with updated_at) or strategy: check (with check_cols)")
        }
        switch config["unique_key"] {
        case .string(let key)? where !key.isEmpty:
            uniqueKey = [key]
            uniqueKeyIsList = false
        case .array(let items)?:
            let keys = items.compactMap(\.stringValue)
            guard !keys.isEmpty, keys.count == items.count else {
                throw invalid("'unique_key' must be a column name or a list of column names")
            }
            uniqueKey = keys
            uniqueKeyIsList = true
        default:
            throw invalid(
                "snapshot has no 'unique_key'",
                hint: "set unique_key to the column (or list of columns) that identifies a row")
        }
        let updatedAt = config["updated_at"]?.stringValue
        switch strategyName {
        case "timestamp":
            guard let updatedAt, !updatedAt.isEmpty else {
                throw invalid(
                    "the timestamp strategy needs 'updated_at'",
                    hint: "name the column holding each row's last update time")
            }
            strategy = .timestamp(updatedAt: updatedAt)
        case "check":
            switch config["check_cols"] {
            case .string(let value)? where value.lowercased() == "all":
                strategy = .check(columns: nil, updatedAt: updatedAt)
            case .array(let items)?:
                let columns = items.compactMap(\.stringValue)
                guard !columns.isEmpty, columns.count == items.count else {
                    throw invalid("'check_cols' must be 'all' or a non-empty list of columns")
                }
                strategy = .check(columns: columns, updatedAt: updatedAt)
            default:
                throw invalid("the check strategy needs 'check_cols'", hint: "set check_cols: all or a list of columns")
            }
        default:
            throw invalid(
                "unknown snapshot strategy '\(strategyName)'",
                hint: closestMatch(to: strategyName, in: Self.strategies).map { "did you mean '\($0)'?" }
                    ?? "use timestamp or check")
        }
        let legacyInvalidate = config["invalidate_hard_deletes"]?.boolValue ?? false
        if let mode = config["hard_deletes"]?.stringValue?.lowercased() {
            guard let parsed = HardDeletes(rawValue: mode) else {
                throw invalid("'hard_deletes' must be ignore, invalidate or new_record, not '\(mode)'")
            }
            if legacyInvalidate {
                throw invalid("set either 'hard_deletes' or the older 'invalidate_hard_deletes', not both")
            }
            hardDeletes = parsed
        } else {
            hardDeletes = legacyInvalidate ? .invalidate : .ignore
        }
        validToCurrent = config["dbt_valid_to_current"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        var names = ColumnNames()
        if let custom = config["snapshot_meta_column_names"] {
            guard let object = custom.objectValue else {
                throw invalid("'snapshot_meta_column_names' must be a mapping")
            }
            for (key, value) in object {
                guard let name = value.stringValue, !name.isEmpty else {
                    throw invalid("snapshot_meta_column_names.\(key) must be a column name")
                }
                switch key {
                case "dbt_scd_id": names.scdId = name
                case "dbt_updated_at": names.updatedAt = name
                case "dbt_valid_from": names.validFrom = name
                case "dbt_valid_to": names.validTo = name
                case "dbt_is_deleted": names.isDeleted = name
                default:
                    throw invalid(
                        "unknown key '\(key)' in snapshot_meta_column_names",
                        hint: "use dbt_scd_id, dbt_updated_at, dbt_valid_from, dbt_valid_to or dbt_is_deleted")
                }
            }
        }
        columns = names
    }
}
