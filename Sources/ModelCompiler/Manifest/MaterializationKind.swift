/// What a node is built as: dbt's `materialized` configuration, parsed once when the node's
/// configuration is set (`ManifestNode.materialization`), so the compiler checks every place
/// that decides by it. Raw values are dbt's strings, as written in `manifest.json`.
///
/// sqlt parses `{% materialization %}` blocks as macros but builds models only with its own
/// planners, so there is no case for a project's custom materialization: a model naming one is
/// a compile error (`NodeBuilder.checkMaterializations`).
public enum MaterializationKind: String, Sendable, Hashable, CaseIterable {
    case view, table, incremental, ephemeral
    case materializedView = "materialized_view"
    /// Snapshot nodes (set by the compiler, not chosen by a model).
    case snapshot
    /// Seed nodes (set by the compiler, not chosen by a model).
    case seed

    /// The materializations a model can choose, in the order diagnostics list them.
    public static let modelKinds: [MaterializationKind] = [.table, .view, .incremental, .materializedView, .ephemeral]

    /// The kind a configuration names (`view` when it names none, as dbt's default); nil when the
    /// name is not one sqlt knows (read the name with `NodeConfig.materializedName`).
    public init?(config: NodeConfig) { self.init(rawValue: config.materializedName) }

    /// Whether the node is built in the database as a relation (false for ephemeral models, which
    /// are inlined as CTEs).
    public var isRelation: Bool { self != .ephemeral }

    /// Whether a successful build leaves the relation rebuilt from nothing (a failed one can be run
    /// again without duplicating rows); incremental models are decided by their plan.
    public var rebuildsFromScratch: Bool {
        switch self {
        case .table, .view, .materializedView: return true
        case .incremental, .ephemeral, .snapshot, .seed: return false
        }
    }
}

/// `incremental_strategy`: how an incremental model applies its new rows. Raw values are dbt's.
public enum IncrementalStrategy: String, Sendable, Hashable, CaseIterable {
    case merge
    case deleteInsert = "delete+insert"
    case append

    /// The strategy a configuration names, case-insensitively; `merge` when it names none and has a
    /// `unique_key`, else `append` (dbt-postgres's defaults). An unknown name is a diagnostic at
    /// the model's file, as is `delete+insert` without a `unique_key`.
    public init(config: NodeConfig, file: String) throws(Diagnostic) {
        guard let name = config["incremental_strategy"]?.stringValue?.lowercased() else {
            self = config.uniqueKey.isEmpty ? .append : .merge
            return
        }
        guard let strategy = IncrementalStrategy(rawValue: name) else {
            throw Diagnostic.error(
                "invalid-config",
                "incremental_strategy '\(name)' is not one of "
                    + Self.allCases.map(\.rawValue).joined(separator: ", "),
                at: SourceLocation(file: file, line: 1, column: 1))
        }
        if strategy == .deleteInsert && config.uniqueKey.isEmpty {
            throw Diagnostic.error(
                "invalid-config", "incremental_strategy 'delete+insert' needs a unique_key",
                at: SourceLocation(file: file, line: 1, column: 1))
        }
        self = strategy
    }
}

/// `on_schema_change`: what an incremental run does when the model's columns differ from the
/// table's. Raw values are dbt's.
public enum OnSchemaChange: String, Sendable, Hashable, CaseIterable {
    case ignore, fail
    case appendNewColumns = "append_new_columns"
    case syncAllColumns = "sync_all_columns"

    /// The mode a configuration names, case-insensitively (`ignore` when it names none); an
    /// unknown name is a diagnostic at the model's file.
    public init(config: NodeConfig, file: String) throws(Diagnostic) {
        let name = config["on_schema_change"]?.stringValue?.lowercased() ?? OnSchemaChange.ignore.rawValue
        guard let mode = OnSchemaChange(rawValue: name) else {
            throw Diagnostic.error(
                "invalid-config",
                "on_schema_change '\(name)' is not one of " + Self.allCases.map(\.rawValue).joined(separator: ", "),
                at: SourceLocation(file: file, line: 1, column: 1))
        }
        self = mode
    }
}
