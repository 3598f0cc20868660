import Foundation
import TestSupport
import Testing

/// `sqlt deps` against a package hub served on loopback HTTP in the hub's JSON format
/// (`api/v1/index.json`, `api/v1/<org>/<name>.json` with versions and tarball downloads).
@Suite struct DepsHubTests {
    /// A hub folder with acme/top 2.0.0 (requiring acme/base >=1.0.0, <2.0.0) and acme/base at `baseVersions`.
    final class Hub {
        let root: String
        let server: LoopbackFileServer

        init() throws {
            root = try DepsFixture.folder("hub")
            try FileManager.default.createDirectory(atPath: root + "/served", withIntermediateDirectories: true)
            server = try LoopbackFileServer(root: root + "/served")
        }

        deinit {
            server.stop()
            try? FileManager.default.removeItem(atPath: root)
        }

        /// `requireDbt` gives versions a `require_dbt_version`.
        func publish(
            _ name: String, versions: [String], requires: [String: [String]] = [:], requireDbt: [String: String] = [:]
        ) throws {
            var entries: [String] = []
            for version in versions {
                let folder = root + "/build/\(name)-\(version)"
                let packages =
                    requires.isEmpty
                    ? nil
                    : "packages:\n"
                        + requires.map {
                            "  - package: \($0.key)\n    version: [\($0.value.map { "\"\($0)\"" }.joined(separator: ", "))]\n"
                        }.joined()
                try DepsFixture.project(at: folder, name: name, packages: packages, extra: "# version \(version)\n")
                try DepsFixture.tarball(of: folder, to: root + "/served/tarballs/\(name)-\(version).tar.gz")
                let deps = requires.map {
                    "{\"package\": \"\($0.key)\", \"version\": [\($0.value.map { "\"\($0)\"" }.joined(separator: ", "))]}"
                }
                entries.append(
                    """
                    "\(version)": {"id": "acme/\(name)/\(version)", "name": "\(name)", "version": "\(version)", "packages": [\(deps.joined(separator: ", "))], "require_dbt_version": \(requireDbt[version].map { "[\"\($0)\"]" } ?? "[]"),
                      "works_with": [], "downloads": {"tarball": "\(server.url)tarballs/\(name)-\(version).tar.gz", "format": "tgz"}}
                    """)
            }
            try DepsFixture.write(
                "{\"name\": \"\(name)\", \"namespace\": \"acme\", \"latest\": \"\(versions.last!)\", \"versions\": {\(entries.joined(separator: ", "))}}",
                to: root + "/served/api/v1/acme/\(name).json")
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: root + "/served/api/v1/acme")) ?? [])
                .filter { $0.hasSuffix(".json") }.map { "\"acme/\($0.dropLast(5))\"" }.sorted()
            try DepsFixture.write("[\(names.joined(separator: ", "))]", to: root + "/served/api/v1/index.json")
        }

        func project(_ packages: String) throws -> String {
            let folder = root + "/app-\(UUID().uuidString.prefix(6))"
            try DepsFixture.project(at: folder, name: "app", packages: packages)
            return folder
        }
    }

    static let requiresTop = "packages:\n  - package: acme/top\n    version: 2.0.0\n"

    @Test func hubPackagesResolveTransitivelyAndInstallFromTarballs() throws {
        let hub = try Hub()
        try hub.publish("base", versions: ["1.0.0", "1.2.0", "2.0.0"])
        try hub.publish("top", versions: ["2.0.0"], requires: ["acme/base": [">=1.0.0", "<2.0.0"]])
        let app = try hub.project(Self.requiresTop)
        let result = try DepsFixture.deps(in: app, hub: hub.server.url)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(DepsFixture.read(app + "/dbt_packages/base/dbt_project.yml").contains("# version 1.2.0"))
        #expect(FileManager.default.fileExists(atPath: app + "/dbt_packages/top/macros/top.sql"))
        // The file dbt 1.11 writes from the same hub (checked by running `dbt deps` against it).
        let lock = DepsFixture.read(app + "/package-lock.yml")
        #expect(
            lock == """
                packages:
                  - name: top
                    package: acme/top
                    version: 2.0.0
                  - name: base
                    package: acme/base
                    version: 1.2.0
                sha1_hash: ebcfae2f08adb7003d0c0d1d615f0e3b9356afd2

                """, "\(lock)")
        // As dbt does, the newest version on the hub is reported, even outside the range.
        #expect(result.stdout.contains("Updated version available: 2.0.0"))
    }

    @Test func versionsForAnotherDbtAreNotInstalled() throws {
        let hub = try Hub()
        try hub.publish("base", versions: ["1.0.0", "1.1.0"], requireDbt: ["1.1.0": ">=2.0.0"])
        let app = try hub.project("packages:\n  - package: acme/base\n    version: [\">=1.0.0\"]\n")
        let result = try DepsFixture.deps(in: app, hub: hub.server.url)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains("Installed base from version 1.0.0"), "1.1.0 requires dbt >=2.0.0: \(result.stdout)")
    }

    @Test func lockOnlyWritesTheLock() throws {
        let hub = try Hub()
        try hub.publish("base", versions: ["1.0.0"])
        try hub.publish("top", versions: ["2.0.0"], requires: ["acme/base": [">=1.0.0", "<2.0.0"]])
        let app = try hub.project(Self.requiresTop)
        let result = try DepsFixture.deps(["--lock"], in: app, hub: hub.server.url)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(DepsFixture.read(app + "/package-lock.yml").contains("package: acme/base\n    version: 1.0.0\n"))
        #expect(!FileManager.default.fileExists(atPath: app + "/dbt_packages"))
    }

    @Test func aMatchingLockIsInstalledAsLockedUntilUpgrade() throws {
        let hub = try Hub()
        try hub.publish("base", versions: ["1.0.0"])
        try hub.publish("top", versions: ["2.0.0"], requires: ["acme/base": [">=1.0.0", "<2.0.0"]])
        let app = try hub.project(Self.requiresTop)
        #expect(try DepsFixture.deps(in: app, hub: hub.server.url).exitCode == 0)
        try hub.publish("base", versions: ["1.0.0", "1.1.0"])

        let locked = try DepsFixture.deps(in: app, hub: hub.server.url)
        #expect(locked.exitCode == 0, "\(locked.stderr)")
        #expect(!locked.stdout.contains("Updating lock file"))
        #expect(locked.stdout.contains("Installed base from version 1.0.0"))
        #expect(locked.stdout.contains("Updated version available: 1.1.0"))
        #expect(
            locked.stdout.contains(
                "Updates available for packages: acme/base\nUpdate your versions in packages.yml, then run sqlt deps\n")
        )
        #expect(DepsFixture.read(app + "/dbt_packages/base/dbt_project.yml").contains("# version 1.0.0"))

        let upgraded = try DepsFixture.deps(["--upgrade"], in: app, hub: hub.server.url)
        #expect(upgraded.exitCode == 0, "\(upgraded.stderr)")
        #expect(upgraded.stdout.contains("Updating lock file"))
        #expect(DepsFixture.read(app + "/package-lock.yml").contains("package: acme/base\n    version: 1.1.0\n"))
        #expect(DepsFixture.read(app + "/dbt_packages/base/dbt_project.yml").contains("# version 1.1.0"))

        // A changed packages.yml no longer matches the lock's hash: it is resolved again.
        try DepsFixture.write(
            Self.requiresTop + "  - package: acme/base\n    version: 1.0.0\n", to: app + "/packages.yml")
        let changed = try DepsFixture.deps(in: app, hub: hub.server.url)
        #expect(changed.exitCode == 0, "\(changed.stderr)")
        #expect(DepsFixture.read(app + "/package-lock.yml").contains("package: acme/base\n    version: 1.0.0\n"))
    }

    @Test func conflictingRangesNameBothRequirersAndKeepTheInstall() throws {
        let hub = try Hub()
        try hub.publish("base", versions: ["1.0.0", "2.0.0"])
        try hub.publish("top", versions: ["2.0.0"], requires: ["acme/base": [">=1.0.0", "<2.0.0"]])
        let app = try hub.project(Self.requiresTop)
        #expect(try DepsFixture.deps(in: app, hub: hub.server.url).exitCode == 0)
        let lockBefore = DepsFixture.read(app + "/package-lock.yml")

        try DepsFixture.write(
            Self.requiresTop + "  - package: acme/base\n    version: [\">=2.0.0\"]\n", to: app + "/packages.yml")
        let result = try DepsFixture.deps(in: app, hub: hub.server.url)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("error: version error for package acme/base"), "\(result.stderr)")
        #expect(result.stderr.contains("packages.yml requires >=2.0.0"))
        #expect(result.stderr.contains("acme/top@2.0.0 requires >=1.0.0, <2.0.0"))
        // Nothing changed on disk.
        #expect(DepsFixture.read(app + "/package-lock.yml") == lockBefore)
        #expect(FileManager.default.fileExists(atPath: app + "/dbt_packages/base/dbt_project.yml"))
    }

    @Test func aFailedInstallLeavesThePreviousPackages() throws {
        let hub = try Hub()
        try hub.publish("base", versions: ["1.0.0"])
        try hub.publish("top", versions: ["2.0.0"], requires: ["acme/base": [">=1.0.0", "<2.0.0"]])
        let app = try hub.project(Self.requiresTop)
        #expect(try DepsFixture.deps(in: app, hub: hub.server.url).exitCode == 0)
        // The lock still names base 1.0.0, whose tarball is now gone from the hub: the download fails mid-install.
        try FileManager.default.removeItem(atPath: hub.root + "/served/tarballs/base-1.0.0.tar.gz")
        try FileManager.default.removeItem(atPath: app + "/dbt_packages/top")
        let result = try DepsFixture.deps(in: app, hub: hub.server.url)
        #expect(result.exitCode != 0)
        #expect(result.stderr.contains("HTTP 404"), "\(result.stderr)")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: app + "/dbt_packages")) ?? []
        #expect(left == ["base"], "the install folder is the previous one, untouched")
        let stray = ((try? FileManager.default.contentsOfDirectory(atPath: app)) ?? []).filter {
            $0.contains("sqlt-new")
        }
        #expect(stray.isEmpty)

        // What a killed run leaves beside the install folder (a process id that is not running) is swept by the next one.
        try FileManager.default.createDirectory(
            atPath: app + "/.dbt_packages.sqlt-new-999999999", withIntermediateDirectories: true)
        try hub.publish("base", versions: ["1.0.0"])
        #expect(try DepsFixture.deps(in: app, hub: hub.server.url).exitCode == 0)
        #expect(!FileManager.default.fileExists(atPath: app + "/.dbt_packages.sqlt-new-999999999"))
    }

    @Test func anUnreachableHubIsAClearError() throws {
        let root = try DepsFixture.folder("no-hub")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try DepsFixture.project(
            at: root, name: "app", packages: "packages:\n  - package: acme/base\n    version: 1.0.0\n")
        // Nothing listens on port 1: every attempt is refused, and after the retries the error names the URL.
        let result = try DepsFixture.deps(in: root, hub: "http://127.0.0.1:1/")
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("cannot GET http://127.0.0.1:1/api/v1/index.json"), "\(result.stderr)")
        #expect(result.stderr.contains("hint: without network, set SQLT_PACKAGE_MIRROR"))
        #expect(!FileManager.default.fileExists(atPath: root + "/package-lock.yml"))
    }

    @Test func badEntriesAndUnknownVersions() throws {
        let hub = try Hub()
        try hub.publish("base", versions: ["1.0.0", "1.1.0"])
        let badName = try hub.project("packages:\n  - package: base\n    version: 1.0.0\n")
        let first = try DepsFixture.deps(in: badName, hub: hub.server.url)
        #expect(first.exitCode == 2)
        #expect(
            first.stderr.contains("packages.yml:2:14: error: base was not found in the package index"),
            "\(first.stderr)")

        let badVersion = try hub.project("packages:\n  - package: acme/base\n    version: [\">=3.0.0\"]\n")
        let second = try DepsFixture.deps(in: badVersion, hub: hub.server.url)
        #expect(second.exitCode == 2)
        #expect(
            second.stderr.contains(
                "packages.yml:2:5: error: no version of acme/base matches >=3.0.0; available: 1.0.0, 1.1.0"),
            "\(second.stderr)")

        let unknown = try hub.project("packages:\n  - package: acme/bsae\n    version: 1.0.0\n")
        let third = try DepsFixture.deps(in: unknown, hub: hub.server.url)
        #expect(third.exitCode == 2)
        #expect(third.stderr.contains("package acme/bsae was not found in the package hub"), "\(third.stderr)")
        #expect(third.stderr.contains("did you mean 'acme/base'?"))
    }
}
