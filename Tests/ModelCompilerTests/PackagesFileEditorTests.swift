import Testing

@testable import ModelCompiler

/// `--add-package` edits of packages.yml text: new entries appended in the file's own
/// indentation, dbt's duplicates replaced, comments and other lines kept.
@Suite struct PackagesFileEditorTests {
    @Test func aMissingFileIsCreated() throws {
        let edited = try PackagesFileEditor.adding(
            name: "dbt-labs/dbt_utils", version: "1.3.3", source: .hub, to: nil, file: "packages.yml")
        #expect(edited.text == "packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.3.3\n")
        #expect(edited.removed.isEmpty)
    }

    @Test func appendedInTheFilesIndentationKeepingComments() throws {
        let text = "# ours\npackages:\n    - local: ../a   # a folder\n\nother: 1\n"
        let edited = try PackagesFileEditor.adding(
            name: "https://example.com/r.git", version: "v1", source: .git, to: text, file: "packages.yml")
        #expect(
            edited.text
                == "# ours\npackages:\n    - local: ../a   # a folder\n    - git: https://example.com/r.git\n      revision: v1\n\nother: 1\n"
        )
        let specs = try PackagesFile.parse(
            try YAMLNode.parse(edited.text, file: "packages.yml"), renderer: PackageSpecTests.renderer,
            otherKeys: ["other"])
        #expect(
            specs.map(\.source) == [
                .local(path: "../a"),
                .git(url: "https://example.com/r.git", revision: "v1", subdirectory: nil, warnUnpinned: nil),
            ])
    }

    @Test func aRangeBecomesAList() {
        #expect(
            PackagesFileEditor.entry(name: "calogica/dbt_date", version: ">=0.9.0,<1.0.0", source: .hub)
                == "  - package: calogica/dbt_date\n    version: [\">=0.9.0\", \"<1.0.0\"]\n")
    }

    @Test func duplicatesAreReplacedAsDbtMatchesThem() throws {
        let text = """
            packages:
              - git: "https://github.com/dbt-labs/dbt-utils.git"
                revision: 1.0.0
              - package: dbt-labs/dbt_utils_extra
                version: 1.0.0
              - package: calogica/dbt_date
                version: 0.10.0
            """
        let edited = try PackagesFileEditor.adding(
            name: "dbt-labs/dbt_utils", version: "1.3.3", source: .hub, to: text, file: "packages.yml")
        // The git URL names dbt-utils between word boundaries; dbt_utils_extra is another package.
        #expect(edited.removed == ["https://github.com/dbt-labs/dbt-utils.git"])
        #expect(
            edited.text == """
                packages:
                  - package: dbt-labs/dbt_utils_extra
                    version: 1.0.0
                  - package: calogica/dbt_date
                    version: 0.10.0
                  - package: dbt-labs/dbt_utils
                    version: 1.3.3

                """)
    }

    @Test func anEmptyOrFlowListIsWrittenAsABlock() throws {
        let empty = try PackagesFileEditor.adding(
            name: "../x", version: nil, source: .local, to: "packages: []\n", file: "packages.yml")
        #expect(empty.text == "packages:\n  - local: ../x\n")
        let flow = try PackagesFileEditor.adding(
            name: "../x", version: nil, source: .local, to: "packages: [{local: ../y}, {local: ../x}]\n",
            file: "packages.yml")
        #expect(flow.text == "packages:\n  - {\"local\": \"../y\"}\n  - local: ../x\n")
        #expect(flow.removed == ["../x"])
    }
}
