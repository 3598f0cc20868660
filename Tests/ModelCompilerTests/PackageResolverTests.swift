import Testing

@testable import ModelCompiler

/// Transitive resolution with an in-memory hub: merged ranges, the highest version inside,
/// and the messages of conflicts. No I/O.
@Suite struct PackageResolverTests {
    /// A hub held in memory: versions of each package and each version's own packages.yml text.
    struct MemoryHub: PackageSource {
        var packages: [String: [String: String]]

        func hubVersions(of name: String, requiredAt location: ModelCompiler.SourceLocation?) async throws -> [String] {
            guard let versions = packages[name] else {
                throw Diagnostic.error("unknown", "unknown package \(name)", at: location)
            }
            return Array(versions.keys)
        }

        func metadata(of pin: ResolvedPackage.Pin) async throws -> PackageMetadata {
            switch pin {
            case .hub(let name, let version, _):
                let text = packages[name]![version]!
                let specs = try PackagesFile.parse(
                    try YAMLNode.parse(text, file: "\(name)@\(version)/packages.yml"),
                    renderer: PackageSpecTests.renderer)
                return PackageMetadata(projectName: String(name.split(separator: "/")[1]), packages: specs, pin: pin)
            case .local(let path):
                return PackageMetadata(projectName: path, packages: [], pin: pin)
            default:
                throw Diagnostic.error("unsupported", "not in this test")
            }
        }
    }

    static let hub = MemoryHub(packages: [
        "calogica/dbt_expectations": [
            "0.10.4": "packages:\n  - package: calogica/dbt_date\n    version: [\">=0.9.0\", \"<1.0.0\"]\n",
            "0.9.0": "packages:\n  - package: calogica/dbt_date\n    version: [\">=0.8.0\", \"<0.9.0\"]\n",
        ],
        "calogica/dbt_date": ["0.8.1": "", "0.9.2": "", "0.10.0": "", "1.0.0": "", "0.11.0-rc1": ""],
        "dbt-labs/dbt_utils": ["1.3.3": "", "1.2.0": "", "0.9.6": ""],
        "acme/ping": ["1.0.0": "packages:\n  - package: acme/pong\n    version: 1.0.0\n"],
        "acme/pong": ["1.0.0": "packages:\n  - package: acme/ping\n    version: [\">=1.0.0\"]\n"],
    ])

    static func resolve(_ text: String) async throws -> [ResolvedPackage] {
        let specs = try PackageSpecTests.parse(text)
        return try await PackageResolver(source: hub, rootProjectName: "root").resolve(specs, requirer: "packages.yml")
    }

    @Test func transitiveRequirementsAreResolved() async throws {
        let resolved = try await Self.resolve(
            "packages:\n  - package: calogica/dbt_expectations\n    version: [\">=0.10.0\", \"<0.11.0\"]\n")
        #expect(resolved.map(\.summary) == ["calogica/dbt_expectations@0.10.4", "calogica/dbt_date@0.10.0"])
        #expect(resolved.map(\.projectName) == ["dbt_expectations", "dbt_date"])
        // The newest installable version is reported for the "update available" notice; pre-releases are not installable.
        #expect(resolved[1].pin == .hub(name: "calogica/dbt_date", version: "0.10.0", latest: "1.0.0"))
    }

    @Test func rangesOfEveryRequirerAreIntersected() async throws {
        let resolved = try await Self.resolve(
            """
            packages:
              - package: calogica/dbt_date
                version: ">=0.9.0"
              - package: calogica/dbt_expectations
                version: 0.10.4
            """)
        // The root allows 1.0.0, dbt_expectations caps it below 1.0.0.
        #expect(resolved.map(\.summary) == ["calogica/dbt_date@0.10.0", "calogica/dbt_expectations@0.10.4"])
    }

    @Test func conflictingRangesNameBothRequirers() async throws {
        let error = await #expect(throws: Diagnostic.self) {
            _ = try await Self.resolve(
                """
                packages:
                  - package: calogica/dbt_date
                    version: [">=1.0.0"]
                  - package: calogica/dbt_expectations
                    version: 0.10.4
                """)
        }
        #expect(error?.id == "packages.version-conflict")
        #expect(error?.message.hasPrefix("version error for package calogica/dbt_date") == true)
        #expect(
            error?.notes.map(\.message) == [
                "packages.yml requires >=1.0.0",
                "calogica/dbt_expectations@0.10.4 requires >=0.9.0, <1.0.0",
            ])
        #expect(
            error?.notes.map { $0.location?.description } == [
                "packages.yml:2:5", "calogica/dbt_expectations@0.10.4/packages.yml:2:5",
            ])
    }

    @Test func noVersionInRangeListsWhatExists() async throws {
        let error = await #expect(throws: Diagnostic.self) {
            _ = try await Self.resolve("packages:\n  - package: dbt-labs/dbt_utils\n    version: [\">=2.0.0\"]\n")
        }
        #expect(error?.message == "no version of dbt-labs/dbt_utils matches >=2.0.0; available: 0.9.6, 1.2.0, 1.3.3")
        #expect(error?.location?.description == "packages.yml:2:5")
    }

    @Test func packagesRequiringEachOtherResolveOnce() async throws {
        let resolved = try await Self.resolve("packages:\n  - package: acme/ping\n    version: 1.0.0\n")
        #expect(resolved.map(\.summary) == ["acme/ping@1.0.0", "acme/pong@1.0.0"])
    }

    @Test func samePackageFromTwoSourcesIsAnError() async throws {
        let specs = try PackageSpecTests.parse(
            "packages:\n  - local: dbt-labs/dbt_utils\n  - package: dbt-labs/dbt_utils\n    version: 1.3.3\n")
        let error = await #expect(throws: Diagnostic.self) {
            _ = try await PackageResolver(source: Self.hub, rootProjectName: "root").resolve(
                specs, requirer: "packages.yml")
        }
        #expect(error?.id == "packages.mismatched-source")
    }

    @Test func aPackageNamedLikeTheRootIsAnError() async throws {
        let specs = try PackageSpecTests.parse("packages:\n  - local: root\n")
        let error = await #expect(throws: Diagnostic.self) {
            _ = try await PackageResolver(source: Self.hub, rootProjectName: "root").resolve(
                specs, requirer: "packages.yml")
        }
        #expect(error?.id == "packages.duplicate-root")
    }
}
