import Testing

@testable import ModelCompiler

/// Relation names over PostgreSQL's 63 bytes, and names that truncate to the same relation, refused
/// at compile time with the model's file (PostgreSQL would silently cut them: see `checkRelationNames`).
@Suite struct RelationNameLimitTests {
    static func compile(_ files: [String: String]) -> [Diagnostic] {
        var all = ["sqlt_project.yml": "name: shop\nprofile: shop\n"]
        all.merge(files) { $1 }
        do {
            _ = try ProjectLoader.compile(
                fs: InMemoryFileSystem(all),
                options: CompileOptions(target: TargetInfo(schema: "analytics"), environment: [:]))
            return []
        } catch {
            return error.diagnostics
        }
    }

    static let long70 = String(repeating: "a", count: 63) + "_123456"

    @Test func aModelNameOver63BytesIsAnErrorInItsFile() throws {
        let d = Self.compile(["models/\(Self.long70).sql": "select 1 as x"])
        let error = try #require(d.first { $0.id == "node.identifier_too_long" }, "\(d)")
        #expect(error.location?.file == "models/\(Self.long70).sql")
        #expect(error.message.contains("70 bytes, longer than PostgreSQL's limit of 63"))
        #expect(error.severity == .error)
    }

    @Test func exactly63BytesIsFine() {
        let name = String(repeating: "b", count: 63)
        #expect(Self.compile(["models/\(name).sql": "select 1 as x"]).isEmpty)
    }

    @Test func aLongAliasIsCounted_inBytesNotCharacters() throws {
        // 32 'é' are 32 characters but 64 bytes
        let alias = String(repeating: "é", count: 32)
        let d = Self.compile(["models/m.sql": "{{ config(alias='\(alias)') }}\nselect 1 as x"])
        let error = try #require(d.first { $0.id == "node.identifier_too_long" }, "\(d)")
        #expect(error.location?.file == "models/m.sql")
        #expect(error.message.contains("64 bytes"))
    }

    @Test func twoModelsSharingTheirFirst63BytesAreOneErrorNamingBoth() throws {
        let prefix = String(repeating: "c", count: 63)
        let d = Self.compile([
            "models/\(prefix)_one.sql": "select 1 as x",
            "models/\(prefix)_two.sql": "select 2 as x",
        ])
        let clashes = d.filter { $0.id == "node.relation_clash" }
        #expect(clashes.count == 1, "\(d)")
        let message = try #require(clashes.first?.message)
        #expect(
            message.contains("models/\(prefix)_one.sql") && message.contains("models/\(prefix)_two.sql"), "\(message)")
        #expect(message.contains("\"analytics\".\"\(prefix)\""), "\(message)")
    }

    @Test func twoModelsWithTheSameAliasAreAnError() throws {
        let d = Self.compile([
            "models/a.sql": "{{ config(alias='shared') }}\nselect 1 as x",
            "models/b.sql": "{{ config(alias='shared') }}\nselect 2 as x",
        ])
        #expect(d.filter { $0.id == "node.relation_clash" }.count == 1, "\(d)")
    }
}
