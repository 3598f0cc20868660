import Testing

@testable import ModelCompiler

@Suite struct PrivacyTests {
    static let customers = RelationRef(schema: "raw", name: "customers")
    static let staging = RelationRef(name: "stg_customers")

    /// Two layers: a staging model over a declared source, then an aggregate model over staging.
    static func propagated() throws -> [String: [String: ColumnPrivacy]] {
        let masks: Set<String> = ["analytics.pseudonymise"]
        let stagingLineage = try LineageAnalyzer.analyze(
            """
            select id, lower(email) as email, analytics.pseudonymise(name) as name_key,
                   md5(email) as email_hash, country
            from raw.customers
            """,
            catalog: lineageCatalog, maskingFunctions: masks)
        let stagingCatalog = DictionaryColumnLookup([staging: stagingLineage.columns.map(\.name)])
        let statsLineage = try LineageAnalyzer.analyze(
            """
            select country, count(email) as emails, max(email) as some_email,
                   string_agg(name_key, ',') as keys, count(distinct name_key) as people,
                   min(email_hash) as first_hash
            from stg_customers group by country
            """,
            catalog: stagingCatalog, maskingFunctions: masks)
        return PrivacyPropagation.propagate(
            models: [
                PrivacyModel(
                    key: "model.stg_customers", lineage: stagingLineage, relations: [customers: "source.raw.customers"]),
                PrivacyModel(
                    key: "model.customer_stats", lineage: statsLineage,
                    relations: [staging: "model.stg_customers"]),
            ],
            declared: [
                "source.raw.customers": ["id": .none, "name": .direct, "email": .direct, "country": .indirect]
            ],
            maskingClasses: ["analytics.pseudonymise": .indirect])
    }

    static let email = PIITag(node: "source.raw.customers", column: "email", privacyClass: .direct)
    static let name = PIITag(node: "source.raw.customers", column: "name", privacyClass: .direct)
    static let country = PIITag(node: "source.raw.customers", column: "country", privacyClass: .indirect)

    @Test(arguments: [
        ("model.stg_customers", "id", ColumnPrivacy(privacyClass: .none)),
        ("model.stg_customers", "email", ColumnPrivacy(privacyClass: .direct, sources: [email])),
        ("model.stg_customers", "name_key", ColumnPrivacy(privacyClass: .indirect, sources: [name])),
        ("model.stg_customers", "email_hash", ColumnPrivacy(privacyClass: .none)),
        ("model.stg_customers", "country", ColumnPrivacy(privacyClass: .indirect, sources: [country])),
        ("model.customer_stats", "country", ColumnPrivacy(privacyClass: .indirect, sources: [country])),
        ("model.customer_stats", "emails", ColumnPrivacy(privacyClass: .none)),
        ("model.customer_stats", "some_email", ColumnPrivacy(privacyClass: .direct, sources: [email])),
        ("model.customer_stats", "keys", ColumnPrivacy(privacyClass: .indirect, sources: [name])),
        ("model.customer_stats", "people", ColumnPrivacy(privacyClass: .none)),
        ("model.customer_stats", "first_hash", ColumnPrivacy(privacyClass: .none)),
    ])
    func twoLayers(_ node: String, _ column: String, _ expected: ColumnPrivacy) throws {
        let result = try Self.propagated()
        #expect(result[node]?[column] == expected)
    }

    @Test func everyColumnOfEveryModelIsReported() throws {
        let result = try Self.propagated()
        #expect(
            result["model.customer_stats"]?.keys.sorted() == [
                "country", "emails", "first_hash", "keys", "people", "some_email",
            ])
        #expect(result["source.raw.customers"]?["email"] == ColumnPrivacy(privacyClass: .direct, sources: [Self.email]))
    }

    @Test func violationsListColumnsAboveTheAllowedClasses() throws {
        let result = try Self.propagated()
        let violations = PrivacyPropagation.violations(
            result, allowed: ["model.customer_stats": [.indirect], "model.unbuilt": [.none]])
        #expect(
            violations == [
                PrivacyViolation(
                    model: "model.customer_stats", column: "some_email", privacyClass: .direct, sources: [Self.email])
            ])
        #expect(
            violations.first?.description
                == "column some_email holds direct personal data (from source.raw.customers.email (direct))")
    }

    @Test func declaredModelColumnRaisesTheClass() throws {
        let lineage = try LineageAnalyzer.analyze(
            "select id, note from raw.customers", catalog: lineageCatalog, maskingFunctions: [])
        let result = PrivacyPropagation.propagate(
            models: [
                PrivacyModel(
                    key: "model.notes", lineage: lineage, relations: [Self.customers: "source.raw.customers"],
                    declared: ["note": .sensitive])
            ],
            declared: ["source.raw.customers": ["id": .none]])
        #expect(result["model.notes"]?["id"] == ColumnPrivacy(privacyClass: .none))
        #expect(
            result["model.notes"]?["note"]
                == ColumnPrivacy(
                    privacyClass: .sensitive,
                    sources: [PIITag(node: "model.notes", column: "note", privacyClass: .sensitive)]))
    }

    @Test(arguments: [
        ("direct", PrivacyClass.direct), ("Indirect", .indirect), (" sensitive ", .sensitive), ("none", .none),
    ])
    func readsDeclaredClass(_ text: String, _ expected: PrivacyClass) {
        #expect(PrivacyClass(pii: text) == expected)
    }

    @Test func classesAreOrdered() {
        #expect(PrivacyClass.allCases.sorted() == [.none, .indirect, .sensitive, .direct])
        #expect(PrivacyClass(pii: "secret") == nil)
    }
}
