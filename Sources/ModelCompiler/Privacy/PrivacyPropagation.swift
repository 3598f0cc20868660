/// One model for privacy propagation: its lineage and how the relations its SQL names map to node keys.
public struct PrivacyModel: Sendable, Hashable {
    /// The node key, as used in `relations` of downstream models.
    public var key: String
    public var lineage: ModelLineage
    /// The node key each relation written in the model's SQL refers to; unmapped relations carry no data.
    public var relations: [RelationRef: String]
    /// Classes declared on the model's own columns (`meta.pii`); they raise the computed class, never lower it.
    public var declared: [String: PrivacyClass]

    public init(
        key: String, lineage: ModelLineage, relations: [RelationRef: String], declared: [String: PrivacyClass] = [:]
    ) {
        self.key = key
        self.lineage = lineage
        self.relations = relations
        self.declared = declared
    }
}

/// Propagates declared personal-data classes from sources and seeds through models' column lineage.
public enum PrivacyPropagation {
    /// Given each model's lineage and the declared pii of source/seed columns, computes the pii class of every column.
    ///
    /// - Parameters:
    ///   - models: models in dependency order (upstream first).
    ///   - declared: node key → column → declared class, for sources and seeds (`meta.pii`).
    ///   - maskingClasses: the class each masking function outputs (for example a pseudonymisation
    ///     function → `.indirect`); masking functions not listed, hashes and `count` output `.none`.
    /// - Returns: node key → column → privacy, for every declared node and every model column.
    ///
    /// Personal data flows along DIRECT edges only. An edge through masking functions is capped at the
    /// lowest class those functions output; aggregates such as `min`, `max`, `string_agg` and
    /// `array_agg` keep the class, `count` ends it.
    public static func propagate(
        models: [PrivacyModel], declared: [String: [String: PrivacyClass]],
        maskingClasses: [String: PrivacyClass] = [:]
    ) -> [String: [String: ColumnPrivacy]] {
        var result: [String: [String: ColumnPrivacy]] = [:]
        for (node, columns) in declared {
            var privacy: [String: ColumnPrivacy] = [:]
            for (column, privacyClass) in columns {
                let sources =
                    privacyClass > .none ? [PIITag(node: node, column: column, privacyClass: privacyClass)] : []
                privacy[column] = ColumnPrivacy(privacyClass: privacyClass, sources: sources)
            }
            result[node] = privacy
        }
        for model in models {
            var privacy: [String: ColumnPrivacy] = [:]
            for column in model.lineage.columns {
                var computed = ColumnPrivacy(privacyClass: .none)
                var sources = Set<PIITag>()
                for input in column.inputs where input.type == "DIRECT" {
                    guard let node = model.relations[input.relation],
                        let upstream = result[node]?[input.column], upstream.privacyClass > .none
                    else { continue }
                    var privacyClass = upstream.privacyClass
                    if input.masking {
                        let cap = input.maskedBy.map { maskingClasses[$0] ?? .none }.min() ?? .none
                        privacyClass = min(privacyClass, cap)
                    }
                    guard privacyClass > .none else { continue }
                    computed.privacyClass = max(computed.privacyClass, privacyClass)
                    sources.formUnion(upstream.sources)
                }
                if let own = model.declared[column.name], own > .none {
                    computed.privacyClass = max(computed.privacyClass, own)
                    sources.insert(PIITag(node: model.key, column: column.name, privacyClass: own))
                }
                computed.sources = sources.sorted()
                if let existing = privacy[column.name] {
                    computed.privacyClass = max(computed.privacyClass, existing.privacyClass)
                    computed.sources = Set(existing.sources).union(computed.sources).sorted()
                }
                privacy[column.name] = computed
            }
            result[model.key] = privacy
        }
        return result
    }
}
