import Foundation
import Testing
@testable import ModelCompiler

@Suite struct TemplateScratchDiff {
    @Test func diff() throws {
        let input = try JSONDecoder().decode([String].self, from: Data(contentsOf: URL(fileURLWithPath: "/tmp/diff_in.json")))
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(TemplateConstructTests.contextJSON.utf8))
        var globals: [String: TemplateValue] = [:]
        for (key, value) in json.objectValue ?? [:] { globals[key] = TemplateValue(value) }
        var out: [String] = []
        for src in input {
            do {
                out.append(try Template.parse(src, file: "t.sql").render(RenderContext(globals: globals)))
            } catch {
                out.append("ERROR: " + error.description)
            }
        }
        try JSONEncoder().encode(out).write(to: URL(fileURLWithPath: "/tmp/diff_out.json"))
    }
}
