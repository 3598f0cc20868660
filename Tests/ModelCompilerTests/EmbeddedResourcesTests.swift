import Foundation
import Testing

@testable import ModelCompiler

/// The build plugin embeds every file under `Sources/ModelCompiler/Resources/` byte for byte.
@Suite struct EmbeddedResourcesTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "Sources/ModelCompiler/Resources")

    static func filesOnDisk() throws -> [String: String] {
        var files: [String: String] = [:]
        let walker = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil))
        for case let url as URL in walker where !url.hasDirectoryPath {
            let key = String(url.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1))
            files[key] = try String(contentsOf: url, encoding: .utf8)
        }
        return files
    }

    @Test func everyResourceFileIsEmbeddedAsWritten() throws {
        let disk = try Self.filesOnDisk()
        #expect(!disk.isEmpty)
        #expect(Set(EmbeddedResources.files.keys) == Set(disk.keys))
        for (key, text) in disk { #expect(EmbeddedResources.files[key] == text, "\(key)") }
    }

    @Test func builtinGenericTestsComeFromTheResourceFiles() {
        for name in ["core", "dbt_utils", "dbt_expectations"] {
            let text = EmbeddedResources.files["generic_tests/\(name).sql"]
            #expect(text.map { BuiltinGenericTests.source.contains($0) } == true, "\(name)")
        }
    }
}
