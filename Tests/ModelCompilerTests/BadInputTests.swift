import Foundation
import Testing

@testable import ModelCompiler

/// Bad input that was accepted silently: each is now one error at its file:line:col.
@Suite struct BadInputTests {
    static func diagnostics(_ files: [String: String], project: String = "name: shop\nprofile: shop\n") -> [Diagnostic]
    {
        var all = ["sqlt_project.yml": project, "models/a.sql": "select 1 as x"]
        all.merge(files) { $1 }
        do {
            let compiled = try ProjectLoader.compile(
                fs: InMemoryFileSystem(all),
                options: CompileOptions(target: TargetInfo(schema: "analytics"), environment: [:]))
            // SQL problems are errors for the nodes a command executes: here, every node.
            return compiled.syntaxDiagnostics(executing: Set(compiled.manifest.nodes.keys)).errors
        } catch {
            return error.diagnostics
        }
    }

    static let cases:
        [(name: String, files: [String: String], project: String?, message: String, at: (String, Int, Int))] = [
            (
                "models: [1, 2] in the project file", [:], "name: shop\nprofile: shop\nmodels: [1, 2]\n",
                "'models' must be a mapping of folders and settings", ("sqlt_project.yml", 3, 9)
            ),
            (
                "an absolute target-path", [:], "name: shop\nprofile: shop\ntarget-path: /tmp/elsewhere\n",
                "'target-path' must be a folder inside the project, not '/tmp/elsewhere'", ("sqlt_project.yml", 3, 14)
            ),
            (
                "columns: not-a-list", ["models/p.yml": "version: 2\nmodels:\n  - name: a\n    columns: not-a-list\n"],
                nil,
                "'columns' must be a list", ("models/p.yml", 4, 14)
            ),
            (
                "version: two", ["models/p.yml": "version: two\nmodels:\n  - name: a\n"], nil,
                "'version' must be 2, not 'two'", ("models/p.yml", 1, 10)
            ),
            (
                "materialized='nosuch'", ["models/a.sql": "{{ config(materialized='nosuch') }}\nselect 1 as x"], nil,
                "unknown materialization 'nosuch' for model 'a'", ("models/a.sql", 1, 1)
            ),
        ]

    @Test(arguments: cases.indices)
    func isOneErrorAtItsLocation(_ index: Int) throws {
        let c = Self.cases[index]
        let d = Self.diagnostics(c.files, project: c.project ?? "name: shop\nprofile: shop\n").filter {
            $0.severity == .error
        }
        #expect(d.count == 1, "\(c.name): \(d)")
        let first = try #require(d.first)
        #expect(first.message == c.message, "\(c.name)")
        #expect(
            first.location?.file == c.at.0 && first.location?.line == c.at.1 && first.location?.column == c.at.2,
            "\(c.name): \(String(describing: first.location))")
    }

    @Test func aMisspelledRefInAUnitTestedModelIsReportedOnce() {
        let d = Self.diagnostics([
            "models/b.sql": "select * from {{ ref('aa') }}",
            "models/p.yml": """
            version: 2
            unit_tests:
              - name: b_works
                model: b
                given:
                  - input: ref('a')
                    rows: [{x: 1}]
                expect:
                  rows: [{x: 1}]
            """,
        ])
        #expect(d.filter { $0.message == "unknown model 'aa'" }.count == 1, "\(d)")
    }

    @Test func aModelWithTwoStatementsIsBlamedOnTheModelNotItsUnitTest() throws {
        let d = Self.diagnostics([
            "models/b.sql": "select 1 as x;\nselect 2 as x\n",
            "models/p.yml": """
            version: 2
            unit_tests:
              - name: b_works
                model: b
                given: []
                expect:
                  rows: [{x: 1}]
            """,
        ])
        #expect(d.count == 1, "\(d)")
        let first = try #require(d.first)
        #expect(first.message == "model 'b' holds 2 SQL statements; a model is one select")
        #expect(first.location?.file == "models/b.sql" && first.location?.line == 2 && first.location?.column == 1)
    }

    @Test func oneStatementWithATrailingSemicolonIsFine() {
        #expect(Self.diagnostics(["models/b.sql": "select 1 as x;\n"]).isEmpty)
    }

    @Test func aPropertyFileThatIsNotUTF8IsAnErrorAtTheFirstBadByte() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sqlt-utf8-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("models"), withIntermediateDirectories: true)
        try Data("name: shop\nprofile: shop\n".utf8).write(to: folder.appendingPathComponent("sqlt_project.yml"))
        try Data("select 1 as x".utf8).write(to: folder.appendingPathComponent("models/a.sql"))
        // "café" in Latin-1: 0xE9 is not UTF-8
        try Data("version: 2\nmodels:\n  - name: a\n    description: caf".utf8 + [0xE9, 0x0A]).write(
            to: folder.appendingPathComponent("models/p.yml"))
        do {
            _ = try ProjectLoader.compile(
                fs: DiskFileSystem(root: folder),
                options: CompileOptions(target: TargetInfo(schema: "analytics"), environment: [:]))
            Issue.record("compiled")
        } catch {
            let d = try #require(error.diagnostics.first)
            #expect(d.message == "'models/p.yml' is not UTF-8 text")
            #expect(d.location?.line == 4 && d.location?.column == 21, "\(String(describing: d.location))")
        }
    }
}
