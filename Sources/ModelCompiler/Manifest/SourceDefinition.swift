import Foundation

/// A table declared under `sources:` in a property file.
public struct SourceDefinition: Codable, Sendable {
    public var uniqueId: String
    public var resourceType: ResourceType = .source
    public var packageName: String
    public var sourceName: String
    public var name: String
    /// The table's name in the database (`identifier`, else `name`).
    public var identifier: String
    public var database: String?
    public var schema: String
    public var relationName: String
    public var originalFilePath: String
    public var fqn: [String]
    public var description: String
    public var sourceDescription: String
    public var loadedAtField: String?
    public var freshness: JSONValue?
    public var columns: [String: ColumnInfo]
    public var meta: [String: JSONValue]
    public var sourceMeta: [String: JSONValue]
    public var tags: [String]
    public var config: NodeConfig
    /// Not in manifest.json: dbt's source schema allows no such key.
    public var declaredAt: SourceLocation? = nil

    public init(
        uniqueId: String, packageName: String, sourceName: String, name: String, identifier: String,
        database: String? = nil, schema: String, relationName: String, originalFilePath: String, fqn: [String],
        description: String = "", sourceDescription: String = "", loadedAtField: String? = nil,
        freshness: JSONValue? = nil, columns: [String: ColumnInfo] = [:], meta: [String: JSONValue] = [:],
        sourceMeta: [String: JSONValue] = [:], tags: [String] = [], config: NodeConfig = [:],
        declaredAt: SourceLocation? = nil
    ) {
        self.uniqueId = uniqueId
        self.packageName = packageName
        self.sourceName = sourceName
        self.name = name
        self.identifier = identifier
        self.database = database
        self.schema = schema
        self.relationName = relationName
        self.originalFilePath = originalFilePath
        self.fqn = fqn
        self.description = description
        self.sourceDescription = sourceDescription
        self.loadedAtField = loadedAtField
        self.freshness = freshness
        self.columns = columns
        self.meta = meta
        self.sourceMeta = sourceMeta
        self.tags = tags
        self.config = config
        self.declaredAt = declaredAt
    }

    public var orderedColumns: [ColumnInfo] { columns.values.sorted { ($0.index, $0.name) < ($1.index, $1.name) } }

    enum CodingKeys: String, CodingKey {
        case name, identifier, database, schema, fqn, description, freshness, columns, meta, tags, config
        case uniqueId = "unique_id"
        case resourceType = "resource_type"
        case packageName = "package_name"
        case sourceName = "source_name"
        case relationName = "relation_name"
        case originalFilePath = "original_file_path"
        case sourceDescription = "source_description"
        case loadedAtField = "loaded_at_field"
        case sourceMeta = "source_meta"
    }

    /// dbt's source keys: `database` (null when unset), `path` and `loader` too.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ManifestKey.self)
        try container.encode(columns, forKey: ManifestKey("columns"))
        try container.encode(config, forKey: ManifestKey("config"))
        try container.encode(database, forKey: ManifestKey("database"))
        try container.encode(description, forKey: ManifestKey("description"))
        try container.encode(fqn, forKey: ManifestKey("fqn"))
        try container.encodeIfPresent(freshness, forKey: ManifestKey("freshness"))
        try container.encode(identifier, forKey: ManifestKey("identifier"))
        try container.encodeIfPresent(loadedAtField, forKey: ManifestKey("loaded_at_field"))
        try container.encode("", forKey: ManifestKey("loader"))
        try container.encode(meta, forKey: ManifestKey("meta"))
        try container.encode(name, forKey: ManifestKey("name"))
        try container.encode(originalFilePath, forKey: ManifestKey("original_file_path"))
        try container.encode(packageName, forKey: ManifestKey("package_name"))
        try container.encode(originalFilePath, forKey: ManifestKey("path"))
        try container.encode(relationName, forKey: ManifestKey("relation_name"))
        try container.encode(resourceType, forKey: ManifestKey("resource_type"))
        try container.encode(schema, forKey: ManifestKey("schema"))
        try container.encode(sourceDescription, forKey: ManifestKey("source_description"))
        try container.encode(sourceMeta, forKey: ManifestKey("source_meta"))
        try container.encode(sourceName, forKey: ManifestKey("source_name"))
        try container.encode(tags, forKey: ManifestKey("tags"))
        try container.encode(uniqueId, forKey: ManifestKey("unique_id"))
    }
}
