import Foundation

/// How personal a column's data is; ordered none < indirect < sensitive < direct.
public enum PrivacyClass: String, Codable, Sendable, Comparable, CaseIterable {
    /// Not personal data.
    case none
    /// Identifies a person only combined with other data (postcode, pseudonymous key).
    case indirect
    /// Special-category data (health, religion, ...).
    case sensitive
    /// Identifies a person on its own (name, e-mail address).
    case direct

    private var rank: Int {
        switch self {
        case .none: 0
        case .indirect: 1
        case .sensitive: 2
        case .direct: 3
        }
    }

    public static func < (lhs: PrivacyClass, rhs: PrivacyClass) -> Bool { lhs.rank < rhs.rank }

    /// Reads a `meta.pii` value (`direct`, `indirect`, `sensitive`, `none`, any case); nil when unrecognised.
    public init?(pii: String) {
        self.init(rawValue: pii.trimmingCharacters(in: .whitespaces).lowercased())
    }
}

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

/// The computed personal-data class of one column and the declared columns it comes from.
public struct ColumnPrivacy: Codable, Sendable, Hashable {
    public var privacyClass: PrivacyClass
    /// Declared columns whose data reaches this one with a class above none, sorted, unique.
    public var sources: [PIITag]

    public init(privacyClass: PrivacyClass, sources: [PIITag] = []) {
        self.privacyClass = privacyClass
        self.sources = sources
    }
}
