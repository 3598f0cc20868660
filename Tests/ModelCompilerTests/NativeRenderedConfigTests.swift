import Testing

@testable import ModelCompiler

/// Config values written as Jinja in property and project files are typed as dbt's native
/// rendering types them: `enabled: "{{ ... }}"` is a boolean (dbt's manifest schema requires one,
/// and a rendered "False" must disable the node).
@Suite struct NativeRenderedConfigTests {
    static func compile(_ files: [String: String]) throws -> CompiledProject {
        var all = ["sqlt_project.yml": "name: shop\nprofile: shop\n", "models/a.sql": "select 1 as x"]
        all.merge(files) { $1 }
        return try ProjectLoader.compile(
            fs: InMemoryFileSystem(all),
            options: CompileOptions(target: TargetInfo(schema: "analytics"), environment: [:]))
    }

    @Test func renderedBooleansNumbersAndNone() {
        #expect(JSONValue.nativeRendered("True") == .bool(true))
        #expect(JSONValue.nativeRendered(" False\n") == .bool(false))
        #expect(JSONValue.nativeRendered("None") == .null)
        #expect(JSONValue.nativeRendered("42") == .int(42))
        #expect(JSONValue.nativeRendered("-1.5") == .double(-1.5))
        #expect(JSONValue.nativeRendered("table") == .string("table"))
        #expect(JSONValue.nativeRendered("1.2.3") == .string("1.2.3"))
    }

    @Test func aRenderedFalseDisablesTheModelAndTestsAreBooleans() throws {
        let compiled = try Self.compile([
            "models/b.sql": "select 2 as y",
            "models/p.yml": """
            version: 2
            models:
              - name: b
                config:
                  enabled: "{{ target.schema == 'elsewhere' }}"
              - name: a
                columns:
                  - name: x
                    data_tests:
                      - not_null:
                          config:
                            enabled: "{{ target.schema == 'analytics' }}"
            """,
        ])
        #expect(compiled.manifest.nodes["model.shop.b"] == nil)
        #expect(compiled.manifest.disabled["model.shop.b"] != nil)
        let test = try #require(compiled.manifest.nodes.values.first { $0.resourceType == .test })
        #expect(test.config["enabled"] == .bool(true))
    }
}
