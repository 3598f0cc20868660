import ModelCompiler

/// One entry of the `indexes` config: `{columns: [..], unique: bool, type: btree|hash|gin|gist|brin}`.
public struct IndexConfig: Sendable, Hashable {
    public var columns: [String]
    public var unique: Bool
    public var type: String
    public init(columns: [String], unique: Bool = false, type: String = "btree") {
        self.columns = columns
        self.unique = unique
        self.type = type
    }
}

/// `partition_by: {field: <column>, granularity: day|month|year}` (a bare column name means month).
public struct PartitionConfig: Sendable, Hashable {
    public var field: String
    public var granularity: String
    public init(field: String, granularity: String = "month") {
        self.field = field
        self.granularity = granularity
    }
}

/// The configuration keys materializations act on, read and checked once.
public struct ModelSettings: Sendable, Hashable {
    public var indexes: [IndexConfig]
    /// Privilege (lowercased, e.g. `select`) to roles.
    public var grants: [String: [String]]
    public var persistRelationDocs: Bool
    public var persistColumnDocs: Bool
    public var contractEnforced: Bool
    public var unlogged: Bool
    public var partition: PartitionConfig?
    public var incrementalPredicates: [String]
    public var preHooks: [String]
    public var postHooks: [String]

    static let indexTypes: Set<String> = ["btree", "hash", "gin", "gist", "brin", "spgist"]
    static let granularities: Set<String> = ["day", "month", "year"]

    /// Reads the configuration of `node`, with a diagnostic at the node's file for malformed values.
    public init(node: ManifestNode) throws(Diagnostic) {
        let config = node.config
        let location = node.declaredAt ?? SourceLocation(file: node.originalFilePath, line: 1, column: 1)
        func invalid(_ message: String) -> Diagnostic { .error("invalid-config", message, at: location) }

        var indexes: [IndexConfig] = []
        for entry in config["indexes"]?.arrayValue ?? [] {
            guard let columns = entry["columns"]?.stringList, !columns.isEmpty else {
                throw invalid("each entry of 'indexes' needs a non-empty 'columns' list")
            }
            let type = (entry["type"]?.stringValue ?? "btree").lowercased()
            guard Self.indexTypes.contains(type) else {
                throw invalid("index type '\(type)' is not one of btree, hash, gin, gist, brin, spgist")
            }
            indexes.append(IndexConfig(columns: columns, unique: entry["unique"]?.boolValue ?? false, type: type))
        }
        self.indexes = indexes

        var grants: [String: [String]] = [:]
        for (privilege, roles) in config["grants"]?.objectValue ?? [:] {
            grants[privilege.lowercased().replacingOccurrences(of: "+", with: "")] = roles.stringList ?? []
        }
        self.grants = grants

        let docs = config["persist_docs"]
        persistRelationDocs = docs?["relation"]?.boolValue ?? false
        persistColumnDocs = docs?["columns"]?.boolValue ?? false
        contractEnforced = config["contract"]?["enforced"]?.boolValue ?? false
        unlogged = config["unlogged"]?.boolValue ?? false

        switch config["partition_by"] {
        case nil, .null?:
            partition = nil
        case .string(let field)?:
            partition = PartitionConfig(field: field)
        case .object(let object)?:
            guard let field = object["field"]?.stringValue else { throw invalid("'partition_by' needs a 'field'") }
            let granularity = (object["granularity"]?.stringValue ?? "month").lowercased()
            guard Self.granularities.contains(granularity) else {
                throw invalid("partition granularity '\(granularity)' is not one of day, month, year")
            }
            partition = PartitionConfig(field: field, granularity: granularity)
        default:
            throw invalid("'partition_by' must be a column name or {field, granularity}")
        }

        incrementalPredicates = config["incremental_predicates"]?.stringList ?? []
        preHooks = config.preHooks
        postHooks = config.postHooks
    }
}
