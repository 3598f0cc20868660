/// A declared personal-data column that some output column's data comes from.
public struct PIITag: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The node key (source, seed or model) that declares the column's class.
    public var node: String
    public var column: String
    /// The declared class at the origin.
    public var privacyClass: PrivacyClass

    public init(node: String, column: String, privacyClass: PrivacyClass) {
        self.node = node
        self.column = column
        self.privacyClass = privacyClass
    }

    public static func < (lhs: PIITag, rhs: PIITag) -> Bool {
        (lhs.node, lhs.column) < (rhs.node, rhs.column)
    }

    /// `node.column (class)`.
    public var description: String { "\(node).\(column) (\(privacyClass.rawValue))" }
}
