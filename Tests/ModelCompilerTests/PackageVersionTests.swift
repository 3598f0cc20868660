import Testing

@testable import ModelCompiler

/// dbt's semantic versions and range reduction, with no I/O.
@Suite struct PackageVersionTests {
    @Test(arguments: [
        (">=0.9.0", SemanticVersion(.greaterOrEqual, 0, 9, 0)),
        ("1.3.3", SemanticVersion(.exact, 1, 3, 3)),
        ("<1.0.0", SemanticVersion(.less, 1, 0, 0)),
        ("=2.0.1-rc.1+build5", SemanticVersion(.exact, 2, 0, 1, prerelease: "rc.1", build: "build5")),
        ("1.0.0b2", SemanticVersion(.exact, 1, 0, 0, prerelease: "b2")),
    ])
    func parsesVersions(_ text: String, _ expected: SemanticVersion) {
        #expect(SemanticVersion(parsing: text) == expected)
    }

    @Test(arguments: ["1.0", "01.2.3", "1.2.3-", "v1.2.3", ">= ", "1.2.3.4", "latest"])
    func rejectsWhatDbtRejects(_ text: String) {
        #expect(SemanticVersion(parsing: text) == nil)
    }

    @Test func rangesIntersect() throws {
        let range = try #require(
            VersionRange.reduce(
                [">=0.9.0", "<1.0.0", ">=0.8.0", "<2.0.0"].compactMap(SemanticVersion.init(parsing:))))
        #expect(range.description == ">=0.9.0, <1.0.0")
        #expect(range.highest(of: ["0.8.1", "0.9.0", "0.10.0", "0.10.4", "1.0.0", "1.1.0"]) == "0.10.4")
    }

    @Test func exactVersionInsideARange() throws {
        let range = try #require(
            VersionRange.reduce(["0.10.4", ">=0.10.0", "<0.11.0"].compactMap(SemanticVersion.init(parsing:))))
        #expect(range.start == SemanticVersion(parsing: "0.10.4"))
        #expect(range.end == SemanticVersion(parsing: "0.10.4"))
    }

    @Test func disjointRangesDoNotReduce() {
        #expect(VersionRange.reduce([">=2.0.0", "<2.0.0"].compactMap(SemanticVersion.init(parsing:))) == nil)
        #expect(VersionRange.reduce(["1.0.0", "1.0.1"].compactMap(SemanticVersion.init(parsing:))) == nil)
        #expect(VersionRange.reduce([">1.0.0", "1.0.0"].compactMap(SemanticVersion.init(parsing:))) == nil)
        #expect(VersionRange.reduce([">=1.0.0", "1.0.0"].compactMap(SemanticVersion.init(parsing:))) != nil)
    }

    @Test func prereleasesOnlyWhenAllowed() {
        let available = ["1.0.0", "1.1.0-rc1", "1.0.1", "0.9.0"]
        #expect(VersionRange.installable(available, includePrerelease: false) == ["0.9.0", "1.0.0", "1.0.1"])
        #expect(
            VersionRange.installable(available, includePrerelease: true) == ["0.9.0", "1.0.0", "1.0.1", "1.1.0-rc1"])
        // A release is above its own pre-releases, and `<1.1.0` excludes 1.1.0's pre-releases, as in dbt.
        let below = VersionRange.reduce([SemanticVersion(parsing: "<1.1.0")!])!
        #expect(below.highest(of: ["1.0.1", "1.1.0-rc1"]) == "1.0.1")
        #expect(SemanticVersion(parsing: "1.1.0")!.compare(SemanticVersion(parsing: "1.1.0-rc1")!) == 1)
        #expect(SemanticVersion.comparePrerelease("rc.2", "rc.10") == -1)
        #expect(SemanticVersion.comparePrerelease("1", "alpha") == -1)
    }

    @Test func requireDbtVersionIsCheckedAgainstDbt111() {
        #expect(DbtVersionRequirement.admits(nil))
        #expect(DbtVersionRequirement.admits(.array([.string(">=1.3.0"), .string("<3.0.0")])))
        #expect(DbtVersionRequirement.admits(.string(">=1.10.5")))
        #expect(!DbtVersionRequirement.admits(.array([.string(">=1.2.0"), .string("<1.11.0")])))
        #expect(!DbtVersionRequirement.admits(.string(">=2.0.0")))
    }

    @Test func sha1MatchesKnownDigests() {
        #expect(SHA1.hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(SHA1.hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(SHA1.hex(String(repeating: "a", count: 1000)) == "291e9a6c66994949b57ba5e650361e98fc36b1ba")
    }
}
