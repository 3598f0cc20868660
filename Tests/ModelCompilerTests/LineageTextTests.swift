import Foundation
import Testing

@testable import ModelCompiler

/// What `sqlt lineage` and `sqlt privacy report` print, computed in the library from the small
/// project of `ProjectLineageTests`.
@Suite struct LineageTextTests {
    @Test func nodeNamesResolveToUniqueIds() throws {
        let lineage = try ProjectLineageTests.lineage()
        #expect(try lineage.uniqueId(named: "stg") == "model.p.stg")
        #expect(try lineage.uniqueId(named: "model.p.mart") == "model.p.mart")
        #expect(try lineage.uniqueId(named: "people") == "seed.p.people")
        #expect(throws: Diagnostic.self) { try lineage.uniqueId(named: "nosuch") }
        do {
            _ = try lineage.uniqueId(named: "mrat")
            Issue.record("an unknown name must fail")
        } catch {
            #expect(error.hint == "did you mean 'mart'?")
        }
    }

    @Test func directUpstreamAndDownstreamText() throws {
        let text = LineageText(lineage: try ProjectLineageTests.lineage())
        let direct = try text.render("model.p.stg", column: "full_name", direction: .direct)
        #expect(
            direct.split(separator: "\n").map(String.init) == [
                #"model.p.stg ("analytics"."stg")"#,
                "  full_name  [direct] from seed.p.people.name",
                "    <- seed.p.people.name  DIRECT/IDENTITY  [direct]",
            ])
        let upstream = try text.render("model.p.mart", column: "full_name", direction: .upstream)
        #expect(upstream.contains("    <- model.p.stg.full_name  DIRECT/IDENTITY  [direct]"))
        #expect(upstream.contains("      <- seed.p.people.name  DIRECT/IDENTITY  [direct]"))
        let downstream = try text.render("seed.p.people", column: "name", direction: .downstream)
        #expect(downstream.contains("    -> model.p.stg.full_name  DIRECT/IDENTITY  [direct]"))
        #expect(downstream.contains("      -> model.p.mart.full_name  DIRECT/IDENTITY  [direct]"))
        do {
            _ = try text.render("model.p.stg", column: "ful_name", direction: .direct)
            Issue.record("an unknown column must fail")
        } catch let error as Diagnostic {
            #expect(error.hint == "did you mean 'full_name'?")
        }
    }

    @Test func lineageScopeIsNilWhenEveryModelRuns() throws {
        let fs = InMemoryFileSystem(ProjectLineageTests.files)
        let compiled = try ProjectLoader.compile(
            fs: fs, options: CompileOptions(target: TargetInfo(schema: "analytics"), environment: [:]))
        let models = Set(compiled.manifest.nodes.values.filter { $0.resourceType == .model }.map(\.uniqueId))
        #expect(compiled.lineageScope(running: models.union(["seed.p.people"])) == nil)
        #expect(compiled.lineageScope(running: ["model.p.mart", "seed.p.people"]) == ["model.p.mart"])
    }

    @Test func processingRegisterListsPersonalDataWithOrigins() throws {
        let fs = InMemoryFileSystem(ProjectLineageTests.files)
        let compiled = try ProjectLoader.compile(
            fs: fs, options: CompileOptions(target: TargetInfo(schema: "analytics"), environment: [:]))
        let lineage = try ProjectLineageTests.lineage()
        let register = ProcessingRegister(lineage: lineage, manifest: compiled.manifest, project: "p")
        let ids = register.entries.map(\.uniqueId)
        #expect(ids.first == "seed.p.people", "seeds come before models")
        #expect(!ids.contains("model.p.raw_copy"), "a model holding no personal data is not listed")
        #expect(register.entries.first { $0.uniqueId == "model.p.eph" }?.personalData.map(\.column) == ["id"])
        let stg = try #require(register.entries.first { $0.uniqueId == "model.p.stg" })
        #expect(stg.personalData.first { $0.column == "full_name" }?.sources == ["seed.p.people.name"])
        #expect(stg.relation == #""analytics"."stg""#)
        #expect(register.markdown.contains("## model.p.stg"))
        #expect(register.markdown.contains("| full_name | direct | seed.p.people.name |"))
        #expect(ProcessingRegister.retention(.string("7 years"))?.keep == "7 years")
        #expect(ProcessingRegister.retention(["keep": "30 days", "field": "loaded_at"])?.field == "loaded_at")
    }
}
