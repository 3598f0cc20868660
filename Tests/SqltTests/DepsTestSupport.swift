import Foundation
import ModelRunner
import TestSupport

/// Folders, packages, git repositories and a loopback file server for the `sqlt deps` tests.
enum DepsFixture {
    /// A fresh folder under the temporary directory.
    static func folder(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sqlt-deps-\(label)-\(UUID().uuidString.prefix(8))"
        ).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// A dbt project (or package) folder: its project file, a macro, and optionally a packages.yml.
    static func project(at folder: String, name: String, packages: String? = nil, extra: String = "") throws {
        try write("name: \(name)\nversion: '1.0.0'\nconfig-version: 2\n\(extra)", to: folder + "/dbt_project.yml")
        try write("{% macro \(name)_hello() %}'hello from \(name)'{% endmacro %}\n", to: folder + "/macros/\(name).sql")
        if let packages { try write(packages, to: folder + "/packages.yml") }
    }

    /// Runs a command line tool, failing the test setup on a non-zero exit.
    @discardableResult
    static func shell(_ arguments: [String], cwd: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: cwd)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(
                domain: "DepsFixture", code: Int(process.terminationStatus),
                userInfo: [NSLocalizedDescriptionKey: "\(arguments): \(output)"])
        }
        return output
    }

    /// `git init` + commit of everything in `folder`; returns the commit.
    @discardableResult
    static func commitAll(_ folder: String, message: String, tag: String? = nil) throws -> String {
        if !FileManager.default.fileExists(atPath: folder + "/.git") {
            try shell(["git", "init", "--quiet", "--initial-branch=main"], cwd: folder)
        }
        try shell(["git", "add", "-A"], cwd: folder)
        try shell(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", message],
            cwd: folder)
        if let tag { try shell(["git", "tag", tag], cwd: folder) }
        return try shell(["git", "rev-parse", "HEAD"], cwd: folder).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `tar -czf archive -C parent folderName`.
    static func tarball(of folder: String, to archive: String) throws {
        let url = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(
            atPath: URL(fileURLWithPath: archive).deletingLastPathComponent().path, withIntermediateDirectories: true)
        try shell(
            ["tar", "-czf", archive, "-C", url.deletingLastPathComponent().path, url.lastPathComponent], cwd: "/")
    }

    /// `sqlt deps` in `project` with no mirror and no hub unless given.
    static func deps(
        _ arguments: [String] = [], in project: String, mirror: String? = nil, hub: String? = nil
    ) throws -> SqltProcess.Outcome {
        try SqltProcess.run(
            ["deps"] + arguments, cwd: project,
            environment: [
                "SQLT_PACKAGE_MIRROR": mirror, "DBT_PACKAGE_HUB_URL": hub, "NO_COLOR": "1",
                "no_proxy": "127.0.0.1,localhost", "NO_PROXY": "127.0.0.1,localhost", "http_proxy": nil,
                "HTTP_PROXY": nil,
                "all_proxy": nil, "ALL_PROXY": nil,
            ])
    }

    static func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// The folder of real dbt packages next to the repository (`../shared/dbt-packages`), if present.
    static var sharedPackages: String? {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let path = url.deletingLastPathComponent().appendingPathComponent("shared/dbt-packages").standardizedFileURL
            .path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}

/// A loopback HTTP server for the files of one folder (sqlt's own docs server), on its own thread.
final class LoopbackFileServer: @unchecked Sendable {
    let server: DocsHTTPServer
    let port: Int
    var url: String { "http://127.0.0.1:\(port)/" }

    init(root: String) throws {
        server = DocsHTTPServer(root: URL(fileURLWithPath: root), port: 0)
        port = try server.bind()
        let server = self.server
        Thread { server.serve() }.start()
    }

    func stop() { server.stop() }
}
