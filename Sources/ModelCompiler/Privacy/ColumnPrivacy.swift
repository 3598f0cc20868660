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
