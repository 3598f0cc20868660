import Foundation
import Testing

@testable import ModelCompiler

/// The fuzzer's regression corpus (`TemplateCrashes/`, inputs that once stopped the process): each file
/// parses and renders to text or to diagnostics located in the file, never a crash.
@Suite struct TemplateCrashCorpusTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "TemplateCrashes")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }
            .sorted()
    }

    @Test func theCorpusIsThere() {
        #expect(Self.files.count >= 20, "\(Self.folder.path)")
    }

    @Test(arguments: files)
    func rendersOrFailsWithALocatedDiagnostic(_ name: String) throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent(name))
        let source = String(decoding: data, as: UTF8.self)
        let file = "models/\(name)"
        var context = RenderContext()
        context.globals["xs"] = .list([.int(1), .int(2), .string("a")])
        do {
            let template = try Template.parse(source, file: file)
            _ = try template.render(context)
        } catch {
            #expect(!error.diagnostics.isEmpty, "\(name)")
            for d in error.diagnostics {
                #expect(d.location?.file == file, "\(name): \(d)")
                #expect((d.location?.line ?? 0) >= 1, "\(name): \(d)")
            }
        }
    }
}
