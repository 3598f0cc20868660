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
