import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `sqlt docs serve` as a process: it prints its address, serves `target/docs/`, and stops on SIGINT.
@Suite struct DocsServeCommandTests {
    static func get(port: Int, path: String) throws -> String { try LoopbackHTTP.get(port: port, path: path) }

    @Test func serveAnswersOnLoopbackUntilInterrupted() throws {
        let project = FileManager.default.temporaryDirectory.appendingPathComponent("sqlt-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: project) }
        try FileManager.default.createDirectory(
            at: project.appendingPathComponent("target/docs"), withIntermediateDirectories: true)
        try Data("name: served\nprofile: served\n".utf8).write(to: project.appendingPathComponent("sqlt_project.yml"))
        try Data("<!doctype html><title>served</title>".utf8).write(
            to: project.appendingPathComponent("target/docs/index.html"))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: SqltProcess.sqltBinary)
        process.arguments = ["docs", "serve", "--port", "0", "--project-dir", project.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // The first line names the address: "Serving ... at http://127.0.0.1:<port>/ ...".
        var line = ""
        while !line.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += String(decoding: chunk, as: UTF8.self)
        }
        let match = try #require(line.firstMatch(of: /http:\/\/127\.0\.0\.1:(\d+)\//))
        let port = try #require(Int(match.1))

        let response = try Self.get(port: port, path: "/")
        #expect(response.hasPrefix("HTTP/1.1 200 OK"))
        #expect(response.hasSuffix("<!doctype html><title>served</title>"))
        #expect(try Self.get(port: port, path: "/catalog.json").hasPrefix("HTTP/1.1 404"))

        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func serveWithoutGeneratedDocsSaysWhatToRun() throws {
        let project = FileManager.default.temporaryDirectory.appendingPathComponent("sqlt-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: project) }
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        try Data("name: served\nprofile: served\n".utf8).write(to: project.appendingPathComponent("sqlt_project.yml"))
        let result = try VersionTests.run(["docs", "serve", "--project-dir", project.path])
        #expect(result.status == 2)
        #expect(result.output.contains("sqlt docs generate"))
    }
}
