import Foundation

/// A `{% macro %}` or `{% test %}` block.
public struct MacroDefinition: Codable, Sendable {
    public var uniqueId: String
    public var name: String
    public var packageName: String
    public var originalFilePath: String
    public var macroSql: String
    public var arguments: [String]
    public var resourceType: ResourceType = .macro

    public init(
        uniqueId: String, name: String, packageName: String, originalFilePath: String, macroSql: String,
        arguments: [String]
    ) {
        self.uniqueId = uniqueId
        self.name = name
        self.packageName = packageName
        self.originalFilePath = originalFilePath
        self.macroSql = macroSql
        self.arguments = arguments
    }

    enum CodingKeys: String, CodingKey {
        case name, arguments, path
        case uniqueId = "unique_id"
        case packageName = "package_name"
        case originalFilePath = "original_file_path"
        case macroSql = "macro_sql"
        case resourceType = "resource_type"
    }

    /// dbt's argument objects: `{"name", "type", "description"}`.
    struct Argument: Codable {
        var name: String
        var type: String?
        var description: String = ""

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: ManifestKey.self)
            try container.encode(description, forKey: ManifestKey("description"))
            try container.encode(name, forKey: ManifestKey("name"))
            try container.encode(type, forKey: ManifestKey("type"))
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        uniqueId = try container.decode(String.self, forKey: .uniqueId)
        name = try container.decode(String.self, forKey: .name)
        packageName = try container.decode(String.self, forKey: .packageName)
        originalFilePath = try container.decode(String.self, forKey: .originalFilePath)
        macroSql = try container.decode(String.self, forKey: .macroSql)
        resourceType = try container.decodeIfPresent(ResourceType.self, forKey: .resourceType) ?? .macro
        if let plain = try? container.decode([String].self, forKey: .arguments) {
            arguments = plain
        } else {
            arguments = try container.decodeIfPresent([Argument].self, forKey: .arguments)?.map(\.name) ?? []
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(arguments.map { Argument(name: $0) }, forKey: .arguments)
        try container.encode(macroSql, forKey: .macroSql)
        try container.encode(name, forKey: .name)
        try container.encode(originalFilePath, forKey: .originalFilePath)
        try container.encode(packageName, forKey: .packageName)
        try container.encode(originalFilePath, forKey: .path)
        try container.encode(resourceType, forKey: .resourceType)
        try container.encode(uniqueId, forKey: .uniqueId)
    }
}
