import Foundation
import TestSupport
import Testing

/// `sqlt deps` end to end through the built binary: local, git (`file://`), tarball and hub
/// (loopback HTTP), the mirror of real packages, the lock file, `--lock`, `--upgrade`, errors.
@Suite struct DepsCommandTests {
    @Test func localPackageIsSymlinkedAndLockedAsDbtDoes() throws {
        let root = try DepsFixture.folder("local")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try DepsFixture.project(at: root + "/pk", name: "pk_real")
        try DepsFixture.project(at: root + "/app", name: "app", packages: "packages:\n  - local: ../pk\n")
        let result = try DepsFixture.deps(in: root + "/app")
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Installed pk_real from <local @ ../pk>"))
        // dbt symlinks a local package, under its project name.
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: root + "/app/dbt_packages/pk_real")
        #expect(
            URL(fileURLWithPath: link).standardizedFileURL.path
                == URL(fileURLWithPath: root + "/pk").standardizedFileURL.path)
        // The file dbt 1.11 writes for this packages.yml; the helper's formula gives dbt's hash for `- local: ../` (in godatadriven/dbt_date's committed lock).
        #expect(try Self.dbtHash(local: "../") == "de2deba3d66ce03d8c02949013650cc9b94f6030")
        let hash = try Self.dbtHash(local: "../pk")
        #expect(
            DepsFixture.read(root + "/app/package-lock.yml")
                == "packages:\n  - local: ../pk\n    name: pk_real\nsha1_hash: \(hash)\n")
    }

    @Test func packagesInstallPathFromTheProjectFile() throws {
        let root = try DepsFixture.folder("install-path")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try DepsFixture.project(at: root + "/pk", name: "pk")
        try DepsFixture.project(
            at: root + "/app", name: "app", packages: "packages:\n  - local: ../pk\n",
            extra: "packages-install-path: vendor/packages\n")
        let result = try DepsFixture.deps(in: root + "/app")
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: root + "/app/vendor/packages/pk/dbt_project.yml"))
        #expect(!FileManager.default.fileExists(atPath: root + "/app/dbt_packages"))
    }

    @Test func dependenciesYmlIsReadAndBadEntriesAreLocated() throws {
        let root = try DepsFixture.folder("dependencies")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try DepsFixture.project(at: root + "/pk", name: "pk")
        try DepsFixture.project(at: root + "/app", name: "app")
        try DepsFixture.write(
            "projects:\n  - name: upstream\npackages:\n  - local: ../pk\n", to: root + "/app/dependencies.yml")
        let result = try DepsFixture.deps(in: root + "/app")
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: root + "/app/dbt_packages/pk"))

        try DepsFixture.write("packages:\n  - local: ../pk\n    version: 1.0.0\n", to: root + "/app/dependencies.yml")
        let bad = try DepsFixture.deps(in: root + "/app")
        #expect(bad.exitCode == 2)
        #expect(
            bad.stderr.contains("dependencies.yml:3:5: error: unknown key 'version' in a 'local:' package"),
            "\(bad.stderr)")
    }

    /// dbt's hash of a packages.yml holding only `- local: path`: SHA-1 of its contract as dbt serialises it.
    static func dbtHash(local path: String) throws -> String {
        let json = "{\"local\": \"\(path)\", \"unrendered\": {\"local\": \"\(path)\"}}"
        return try SqltTestSHA1.hex(json)
    }

    @Test func gitPackageFromAFileRepositoryAtATagAndASubdirectory() throws {
        let root = try DepsFixture.folder("git")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let repo = root + "/repo"
        try DepsFixture.project(at: repo + "/inner", name: "git_pkg")
        try DepsFixture.write("# readme\n", to: repo + "/README.md")
        let tagged = try DepsFixture.commitAll(repo, message: "first", tag: "v1.0")
        try DepsFixture.write("{% macro later() %}1{% endmacro %}\n", to: repo + "/inner/macros/later.sql")
        let head = try DepsFixture.commitAll(repo, message: "second")
        try DepsFixture.project(
            at: root + "/app", name: "app",
            packages: "packages:\n  - git: \"file://\(repo)\"\n    revision: v1.0\n    subdirectory: inner\n")
        let result = try DepsFixture.deps(in: root + "/app")
        #expect(result.exitCode == 0, "\(result.stderr)")
        let installed = root + "/app/dbt_packages/git_pkg"
        #expect(FileManager.default.fileExists(atPath: installed + "/macros/git_pkg.sql"))
        #expect(
            !FileManager.default.fileExists(atPath: installed + "/macros/later.sql"),
            "the tag's commit, not the branch head")
        let lock = DepsFixture.read(root + "/app/package-lock.yml")
        #expect(
            lock.contains(
                "  - git: file://\(repo)\n    name: git_pkg\n    revision: \(tagged)\n    subdirectory: inner\n"),
            "\(lock)")
        #expect(tagged != head)

        // Installing again from the lock checks out the locked commit.
        try FileManager.default.removeItem(atPath: root + "/app/dbt_packages")
        let again = try DepsFixture.deps(in: root + "/app")
        #expect(again.exitCode == 0, "\(again.stderr)")
        #expect(again.stdout.contains("Installed git_pkg from revision \(tagged)"))
        #expect(!again.stdout.contains("Updating lock file"))
    }

    @Test func unpinnedGitIsAWarningAndHeadIsLockedAsItsCommit() throws {
        let root = try DepsFixture.folder("git-head")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try DepsFixture.project(at: root + "/repo", name: "head_pkg")
        let head = try DepsFixture.commitAll(root + "/repo", message: "only")
        try DepsFixture.project(
            at: root + "/app", name: "app", packages: "packages:\n  - git: \"file://\(root)/repo\"\n")
        let result = try DepsFixture.deps(in: root + "/app")
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains("warning: the git package file://\(root)/repo is not pinned (revision HEAD)"),
            "\(result.stderr)")
        #expect(DepsFixture.read(root + "/app/package-lock.yml").contains("    revision: \(head)\n"))
    }

    @Test func varsAndEnvVarsInPackagesYml() throws {
        let root = try DepsFixture.folder("render")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try DepsFixture.project(at: root + "/pk", name: "pk")
        try DepsFixture.project(
            at: root + "/app", name: "app", packages: "packages:\n  - local: \"{{ var('pkg_dir') }}\"\n")
        let result = try SqltProcess.run(
            ["deps", "--vars", "{pkg_dir: ../pk}"], cwd: root + "/app", environment: ["NO_COLOR": "1"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: root + "/app/dbt_packages/pk"))

        try DepsFixture.write(
            "packages:\n  - local: \"{{ env_var('SQLT_TEST_UNSET_PKG') }}\"\n", to: root + "/app/packages.yml")
        let missing = try SqltProcess.run(
            ["deps"], cwd: root + "/app", environment: ["NO_COLOR": "1", "SQLT_TEST_UNSET_PKG": nil])
        #expect(missing.exitCode == 2)
        #expect(missing.stderr.contains("packages.yml:2:12: error: cannot render"), "\(missing.stderr)")
        #expect(missing.stderr.contains("env var required but not provided: 'SQLT_TEST_UNSET_PKG'"))
        #expect(FileManager.default.fileExists(atPath: root + "/app/dbt_packages/pk"), "the previous install stays")
    }

    @Test func tarballOverLoopbackHTTP() throws {
        let root = try DepsFixture.folder("tarball")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try DepsFixture.project(at: root + "/build/tar_pkg-1.0", name: "tar_pkg")
        try DepsFixture.tarball(of: root + "/build/tar_pkg-1.0", to: root + "/served/files/tar_pkg.tar.gz")
        let server = try LoopbackFileServer(root: root + "/served")
        defer { server.stop() }
        try DepsFixture.project(
            at: root + "/app", name: "app",
            packages:
                "packages:\n  - tarball: \"{{ env_var('TAR_BASE', '\(server.url)') }}files/tar_pkg.tar.gz\"\n    name: my_tarball\n"
        )
        let result = try DepsFixture.deps(in: root + "/app")
        #expect(result.exitCode == 0, "\(result.stderr)")
        // dbt installs a tarball under the entry's `name:`.
        #expect(FileManager.default.fileExists(atPath: root + "/app/dbt_packages/my_tarball/macros/tar_pkg.sql"))
        let lock = DepsFixture.read(root + "/app/package-lock.yml")
        #expect(
            lock.hasPrefix(
                "packages:\n  - name: my_tarball\n    tarball: '{{ env_var(''TAR_BASE'', ''\(server.url)'') }}files/tar_pkg.tar.gz'\n"
            ), "\(lock)")
    }

    @Test func mirrorOfRealPackagesResolvesTransitivelyWithoutNetwork() throws {
        guard let mirror = DepsFixture.sharedPackages else {
            Issue.record(
                "../shared/dbt-packages is absent: the mirror test needs the real dbt packages next to the repository")
            return
        }
        let root = try DepsFixture.folder("mirror")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try DepsFixture.project(
            at: root, name: "app",
            packages: "packages:\n  - package: calogica/dbt_expectations\n    version: [\">=0.10.0\", \"<0.11.0\"]\n")
        // With the mirror set and no DBT_PACKAGE_HUB_URL the hub is never asked: no network at all.
        let result = try DepsFixture.deps(in: root, mirror: mirror, hub: nil)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: root + "/dbt_packages/dbt_expectations/macros"))
        #expect(FileManager.default.fileExists(atPath: root + "/dbt_packages/dbt_date/dbt_project.yml"))
        // dbt_expectations 0.10.4 asks for calogica/dbt_date [">=0.9.0", "<1.0.0"]: the mirror has 0.10.0.
        // The hash is dbt 1.11's for this packages.yml.
        #expect(
            DepsFixture.read(root + "/package-lock.yml") == """
                packages:
                  - name: dbt_expectations
                    package: calogica/dbt_expectations
                    version: 0.10.4
                  - name: dbt_date
                    package: calogica/dbt_date
                    version: 0.10.0
                sha1_hash: 1ab879bc03889bcd2140c4e88f48a1c21cca618c

                """)
        // Installed copies are writable even though the mirror is not, so a second run replaces them.
        let second = try DepsFixture.deps(["--upgrade"], in: root, mirror: mirror)
        #expect(second.exitCode == 0, "\(second.stderr)")
        // A project asking for dbt_utils 1.3.3 gets it from the mirror alone.
        try DepsFixture.write(
            "packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.3.3\n", to: root + "/packages.yml")
        let utils = try DepsFixture.deps(in: root, mirror: mirror)
        #expect(utils.exitCode == 0, "\(utils.stderr)")
        #expect(utils.stdout.contains("Updating lock file"), "the requirements changed, so the lock is resolved again")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/dbt_packages") == ["dbt_utils"])
        #expect(FileManager.default.fileExists(atPath: root + "/dbt_packages/dbt_utils/macros/sql/star.sql"))
    }

    @Test func noPackagesEmptiesTheInstallFolder() throws {
        let root = try DepsFixture.folder("none")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try DepsFixture.project(at: root + "/pk", name: "pk")
        try DepsFixture.project(at: root + "/app", name: "app", packages: "packages:\n  - local: ../pk\n")
        #expect(try DepsFixture.deps(in: root + "/app").exitCode == 0)
        try FileManager.default.removeItem(atPath: root + "/app/packages.yml")
        let result = try DepsFixture.deps(in: root + "/app")
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout == "No packages found in packages.yml\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/app/dbt_packages") == [])
    }

    @Test func aLockCommittedByDbtIsInstalledAsLocked() throws {
        guard let shared = DepsFixture.sharedPackages else {
            Issue.record(
                "../shared/dbt-packages is absent: this test reads godatadriven/dbt_date's committed package-lock.yml")
            return
        }
        // godatadriven/dbt_date 0.17.1's integration_tests, as committed: `- local: ../` and the lock an
        // older dbt wrote for it (no `name:`). Only the project files are copied.
        let source = shared + "/godatadriven/dbt_date/0.17.1"
        let root = try DepsFixture.folder("dbt-lock")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/integration_tests", withIntermediateDirectories: true)
        for file in [
            "dbt_project.yml", "integration_tests/dbt_project.yml", "integration_tests/packages.yml",
            "integration_tests/package-lock.yml",
        ] {
            try DepsFixture.write(DepsFixture.read(source + "/" + file), to: root + "/" + file)
        }
        let committed = DepsFixture.read(root + "/integration_tests/package-lock.yml")
        let result = try DepsFixture.deps(in: root + "/integration_tests")
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("Updating lock file"), "the committed hash matches: \(result.stdout)")
        #expect(DepsFixture.read(root + "/integration_tests/package-lock.yml") == committed)
        #expect(
            try FileManager.default.destinationOfSymbolicLink(atPath: root + "/integration_tests/dbt_packages/dbt_date")
                .hasSuffix(root))
    }

    @Test func addPackageWritesPackagesYmlThenInstalls() throws {
        guard let mirror = DepsFixture.sharedPackages else {
            Issue.record("../shared/dbt-packages is absent: the --add-package test installs dbt_utils from the mirror")
            return
        }
        let root = try DepsFixture.folder("add")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try DepsFixture.project(at: root, name: "app")
        let result = try DepsFixture.deps(["--add-package", "dbt-labs/dbt_utils@1.3.3"], in: root, mirror: mirror)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(
            DepsFixture.read(root + "/packages.yml")
                == "packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.3.3\n")
        #expect(FileManager.default.fileExists(atPath: root + "/dbt_packages/dbt_utils/dbt_project.yml"))

        let noVersion = try DepsFixture.deps(["--add-package", "calogica/dbt_date"], in: root, mirror: mirror)
        #expect(noVersion.exitCode == 2)
        #expect(noVersion.stderr.contains("a version is required in --add-package when the source is hub"))
    }

    @Test func unknownMirrorPackageNamesWhatExists() throws {
        guard let mirror = DepsFixture.sharedPackages else {
            Issue.record(
                "../shared/dbt-packages is absent: the mirror test needs the real dbt packages next to the repository")
            return
        }
        let root = try DepsFixture.folder("mirror-unknown")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try DepsFixture.project(
            at: root, name: "app", packages: "packages:\n  - package: dbt-labs/dbt_utilz\n    version: 1.3.3\n")
        let result = try DepsFixture.deps(in: root, mirror: mirror)
        #expect(result.exitCode == 2)
        #expect(
            result.stderr.contains("packages.yml:2:5: error: package dbt-labs/dbt_utilz is not in the package mirror"),
            "\(result.stderr)")
        #expect(result.stderr.contains("dbt-labs/dbt_utils"))
        #expect(result.stderr.contains("did you mean 'dbt-labs/dbt_utils'?"))
        #expect(!FileManager.default.fileExists(atPath: root + "/package-lock.yml"))
    }
}

/// SHA-1 for expected lock hashes, from the `sha1sum` tool (independent of sqlt's own SHA-1).
enum SqltTestSHA1 {
    static func hex(_ text: String) throws -> String {
        let folder = try DepsFixture.folder("sha")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try DepsFixture.write(text, to: folder + "/input")
        let output = try DepsFixture.shell(["sha1sum", folder + "/input"], cwd: folder)
        return String(output.prefix(40))
    }
}
