import Foundation

/// A `{% docs name %}` block.
public struct DocDefinition: Codable, Sendable {
    public var uniqueId: String
    public var name: String
    public var packageName: String
    public var originalFilePath: String
    public var blockContents: String

    public init(uniqueId: String, name: String, packageName: String, originalFilePath: String, blockContents: String) {
        self.uniqueId = uniqueId
        self.name = name
        self.packageName = packageName
        self.originalFilePath = originalFilePath
        self.blockContents = blockContents
    }

    enum CodingKeys: String, CodingKey {
        case name
        case uniqueId = "unique_id"
        case packageName = "package_name"
        case originalFilePath = "original_file_path"
        case blockContents = "block_contents"
    }
}
