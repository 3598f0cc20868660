import Testing

@testable import ModelCompiler

/// `packages.yml` entries, their errors, and `package-lock.yml`'s hash and text, with no I/O.
/// Every expected `sha1_hash` below was computed by dbt-core 1.11's own `_create_sha1_hash` for
/// the same file (and `de2deba3...` is the hash in godatadriven/dbt_date's committed lock).
@Suite struct PackageSpecTests {
    static let renderer = PackageRenderer(
        environment: ["PKG_TOKEN": "s3cret"], vars: ["utils_version": .string("1.3.3")])

    static func parse(_ text: String, file: String = "packages.yml") throws -> [PackageSpec] {
        try PackagesFile.load(packagesText: text, dependenciesText: nil, renderer: renderer).packages
    }

    static func errors(_ text: String) -> [Diagnostic] {
        do {
            _ = try parse(text)
            return []
        } catch let error as DiagnosticsError {
            return error.diagnostics
        } catch {
            return [Diagnostic.error("other", "\(error)")]
        }
    }

    @Test func everySourceKind() throws {
        let specs = try Self.parse(
            """
            packages:
              - package: dbt-labs/dbt_utils
                version: [">=1.0.0", "<2.0.0"]
              - git: "https://example.com/x.git"
                revision: v1
                subdirectory: sub
              - local: ../pkg
              - tarball: "https://example.com/{{ env_var('PKG_TOKEN') }}.tgz"
                name: tb
            """)
        #expect(
            specs.map(\.source) == [
                .hub(name: "dbt-labs/dbt_utils", versions: [">=1.0.0", "<2.0.0"], installPrerelease: false),
                .git(url: "https://example.com/x.git", revision: "v1", subdirectory: "sub", warnUnpinned: nil),
                .local(path: "../pkg"),
                .tarball(url: "https://example.com/s3cret.tgz", name: "tb"),
            ])
        #expect(specs[2].location == SourceLocation(file: "packages.yml", line: 7, column: 5))
        // The lock keeps the text as written, not the secret.
        #expect(specs[3].unrendered["tarball"] == .string("https://example.com/{{ env_var('PKG_TOKEN') }}.tgz"))
    }

    @Test func varAndEnvVarDefaults() throws {
        let specs = try Self.parse(
            """
            packages:
              - package: dbt-labs/dbt_utils
                version: "{{ var('utils_version') }}"
              - local: "{{ env_var('PKG_DIR', 'sub') }}/x"
            """)
        #expect(specs[0].source == .hub(name: "dbt-labs/dbt_utils", versions: ["1.3.3"], installPrerelease: false))
        #expect(specs[1].source == .local(path: "sub/x"))
    }

    @Test(arguments: [
        // dbt 1.11 on the same packages.yml (FOO and PKG_DIR unset).
        (
            """
            packages:
              - local: pkg_a
              - package: dbt-labs/dbt_utils
                version: [">=1.0.0", "<2.0.0"]
              - git: "https://example.com/x.git"
                revision: v1
                subdirectory: sub
              - tarball: "https://example.com/{{ env_var('FOO', 'x') }}.tgz"
                name: tb
            """, "71aee6e1bf1285e2caae4295b91c92d9d2c01a13"
        ),
        (
            """
            packages:
              - package: calogica/dbt_expectations
                version: 0.10.4
              - git: "https://github.com/dbt-labs/dbt-utils.git"
              - package: dbt-labs/dbt_utils
                version: "1.3.3"
                install_prerelease: true
              - local: "{{ env_var('PKG_DIR', 'sub') }}/x"
                name: named
            """, "4d90abf69392a60eb3a76c9780fd991547d85296"
        ),
        (
            """
            packages:
              - git: "https://x/y.git"
                revision: 1.0
                warn-unpinned: false
              - package: dbt-labs/dbt_utils
                version: "1.3.3"
            """, "9e46e1a0dc63163c03c7b057cc72ac219637d185"
        ),
        ("packages:\n  - local: ../\n", "de2deba3d66ce03d8c02949013650cc9b94f6030"),
        (
            "packages:\n  - package: calogica/dbt_expectations\n    version: [\">=0.10.0\", \"<0.11.0\"]\n",
            "1ab879bc03889bcd2140c4e88f48a1c21cca618c"
        ),
    ])
    func lockHashIsDbts(_ text: String, _ hash: String) throws {
        #expect(PackageLock.hash(of: try Self.parse(text)) == hash)
    }

    @Test func lockTextIsDbts() {
        // What dbt 1.11 wrote for `- local: pk` whose project is named pk_real.
        let text = PackageLock.text(
            packages: [ResolvedPackage(pin: .local(path: "pk"), projectName: "pk_real")],
            hash: "3a2a808665e310435fb5e838a4bfcd30bce7d9d1")
        #expect(
            text == "packages:\n  - local: pk\n    name: pk_real\nsha1_hash: 3a2a808665e310435fb5e838a4bfcd30bce7d9d1\n"
        )
        let hub = PackageLock.text(
            packages: [
                ResolvedPackage(
                    pin: .hub(name: "dbt-labs/dbt_utils", version: "1.3.3", latest: nil), projectName: "dbt_utils"),
                ResolvedPackage(
                    pin: .git(
                        url: "u", unrenderedURL: "https://{{ env_var('T') }}@example.com/r.git", revision: "0123456",
                        subdirectory: "s", warnUnpinned: true),
                    projectName: "r"),
            ], hash: "h")
        #expect(
            hub == """
                packages:
                  - name: dbt_utils
                    package: dbt-labs/dbt_utils
                    version: 1.3.3
                  - git: https://{{ env_var('T') }}@example.com/r.git
                    name: r
                    revision: '0123456'
                    subdirectory: s
                sha1_hash: h

                """)
    }

    @Test func badEntriesPointAtTheirLine() {
        let diagnostics = Self.errors(
            """
            packages:
              - package: dbt_utils
                version: 1.3.3
              - package: dbt-labs/dbt_utils
              - git: https://example.com/x.git
                revison: main
              - local: a
                git: b
              - package: dbt-labs/dbt_utils
                version: "latest"
            """)
        let lines = diagnostics.map { "\($0.location.map(\.description) ?? ""): \($0.message)" }
        #expect(
            lines == [
                "packages.yml:2:14: dbt_utils was not found in the package index: packages on the index need a namespace, for example dbt-labs/dbt_utils",
                "packages.yml:4:5: dbt-labs/dbt_utils is missing the version: a hub package needs 'version:'",
                "packages.yml:6:5: unknown key 'revison' in a 'git:' package",
                "packages.yml:8:5: a package entry has both 'local:' and 'git:'",
                "packages.yml:10:14: 'latest' is not a valid semantic version",
            ])
        #expect(diagnostics[2].hint == "did you mean 'revision'?")
        #expect(
            Self.errors("packages:\n  - package: ../../etc\n    version: 1.0.0\n").map(\.id) == [
                "packages.hub-namespace"
            ])
    }

    @Test func dependenciesYmlRules() throws {
        let both = #expect(throws: DiagnosticsError.self) {
            try PackagesFile.load(
                packagesText: "packages: []", dependenciesText: "packages: []", renderer: Self.renderer)
        }
        #expect(
            both?.diagnostics.first?.message
                == "the 'packages' key cannot be specified in both packages.yml and dependencies.yml")
        let projects = #expect(throws: DiagnosticsError.self) {
            try PackagesFile.load(
                packagesText: "projects:\n  - name: x\n", dependenciesText: nil, renderer: Self.renderer)
        }
        #expect(projects?.diagnostics.first?.id == "packages.projects")
        let file = try PackagesFile.load(
            packagesText: "# nothing\n", dependenciesText: "projects:\n  - name: upstream\npackages:\n  - local: x\n",
            renderer: Self.renderer)
        #expect(file.file == "dependencies.yml")
        #expect(file.packages.map(\.source) == [.local(path: "x")])
        #expect(
            try PackagesFile.load(packagesText: nil, dependenciesText: nil, renderer: Self.renderer).packages.isEmpty)
    }
}
