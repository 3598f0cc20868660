import Testing

@testable import ModelCompiler

@Suite struct TemplateRenderTests {
    @Test func plainText() throws {
        let t = try Template.parse("hello {{ 'world' }}\n", file: "models/a.sql")
        #expect(try t.render(RenderContext()) == "hello world\n")
    }
}
