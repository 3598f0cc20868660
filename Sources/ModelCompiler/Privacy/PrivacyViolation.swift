/// A model column holding personal data of a class its model does not allow (`meta.privacy.allow`).
public struct PrivacyViolation: Codable, Sendable, Hashable, CustomStringConvertible {
    public var model: String
    public var column: String
    public var privacyClass: PrivacyClass
    /// The declared columns the data comes from.
    public var sources: [PIITag]

    public init(model: String, column: String, privacyClass: PrivacyClass, sources: [PIITag]) {
        self.model = model
        self.column = column
        self.privacyClass = privacyClass
        self.sources = sources
    }

    /// For example `column nom_affiche holds direct personal data (from seed.rh_info.nom (direct))`.
    public var description: String {
        let origin = sources.isEmpty ? "" : " (from \(sources.map(\.description).joined(separator: ", ")))"
        return "column \(column) holds \(privacyClass.rawValue) personal data\(origin)"
    }
}

extension PrivacyPropagation {
    /// Columns whose computed class is above `none` and not in their model's allowed classes, sorted by model
    /// then column; models without an entry in `allowed` are not checked.
    public static func violations(
        _ privacy: [String: [String: ColumnPrivacy]], allowed: [String: Set<PrivacyClass>]
    ) -> [PrivacyViolation] {
        var found: [PrivacyViolation] = []
        for (model, classes) in allowed {
            guard let columns = privacy[model] else { continue }
            for (column, value) in columns where value.privacyClass > .none && !classes.contains(value.privacyClass) {
                found.append(
                    PrivacyViolation(
                        model: model, column: column, privacyClass: value.privacyClass, sources: value.sources))
            }
        }
        return found.sorted { ($0.model, $0.column) < ($1.model, $1.column) }
    }
}
