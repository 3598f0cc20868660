import Foundation
import TestSupport
import Testing

/// `sqlt docs generate` on a copy of the flagship project, the page opened in headless Chromium:
/// the graph is drawn, and a model page shows a column's upstream columns. Without Chromium the
/// browser checks are skipped with a message, unless `CI=true`, where they fail.
@Suite struct DocsBrowserTests {

    /// Chromium's path, or nil (then the caller skips or, under CI, fails).
    static var chromium: String? {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
                let path = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String, log: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sqlt-chromium-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), text)
    }

    /// The DOM after scripts ran, for `page` (an absolute file path plus an optional `#` route).
    static func dumpDOM(_ browser: String, _ page: String) throws -> String {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sqlt-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let result = try run(
            browser,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)",
                "--virtual-time-budget=5000",
                "--enable-logging=stderr", "--v=0", "--dump-dom", "file://" + page,
            ])
        #expect(result.status == 0)
        let scriptErrors = result.log.split(separator: "\n").filter {
            $0.contains("CONSOLE") && $0.contains("Uncaught")
        }
        #expect(scriptErrors.isEmpty, "script errors on \(page): \(scriptErrors.joined(separator: "\n"))")
        return result.output
    }

    /// The text of the element starting at the first occurrence of `marker` up to its matching close.
    static func section(_ html: String, from marker: String, to end: String) -> String {
        guard let start = html.range(of: marker) else { return "" }
        let rest = html[start.lowerBound...]
        guard let stop = rest.range(of: end) else { return String(rest) }
        return String(rest[..<stop.lowerBound])
    }

    @Test func generatedSiteRendersGraphAndColumnLineageInChromium() throws {
        let project = try FlagshipProject.copy()
        defer { try? FileManager.default.removeItem(at: project) }
        // An unreachable database: the site is generated anyway, from property files.
        let generate = try VersionTests.run([
            "docs", "generate", "--project-dir", project.path, "--database-url",
            "postgresql://nobody@127.0.0.1:1/nowhere",
        ])
        #expect(generate.status == 0, "\(generate.output)")
        #expect(generate.output.contains("could not be reached"))
        let page = project.appendingPathComponent("target/docs/index.html")
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(html.contains("<script type=\"application/json\" id=\"sqlt-data\">"))
        #expect(!html.contains("<link") && !html.contains(" src="))
        let catalog =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: project.appendingPathComponent("target/catalog.json"))) as? [String: Any]
        #expect((catalog?["nodes"] as? [String: Any])?.isEmpty == true)
        #expect((catalog?["errors"] as? [String])?.count == 1)

        guard let browser = Self.chromium else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record(
                    "chromium is not installed (apt-get install -y chromium, or SQLT_WITH_BROWSER=1 scripts/install_deps.sh)"
                )
            } else {
                FileHandle.standardError.write(
                    Data("skipped: chromium is not installed; the docs browser checks did not run\n".utf8))
            }
            return
        }

        let overview = try Self.dumpDOM(browser, page.path)
        let drawn = overview.components(separatedBy: "<g class=\"node").count - 1
        #expect(drawn == 19, "14 models, 4 seeds and the hr_history snapshot drawn as SVG nodes")
        #expect(overview.contains("data-id=\"model.sport_activities.gold_sport_commute_bonus\""))
        #expect(overview.contains("class=\"edge\""))
        #expect(overview.contains(">silver</text>") && overview.contains(">gold</text>"))

        let route = "#!/model/model.sport_activities.silver_rh_info/column/nom_affiche"
        let modelPage = try Self.dumpDOM(browser, page.path + route)
        #expect(modelPage.contains("<h1>silver_rh_info</h1>"))
        #expect(modelPage.contains("Pseudonymised display name."))
        let upstream = Self.section(modelPage, from: "<div class=\"upstream\">", to: "<div class=\"downstream\">")
        #expect(upstream.contains("bronze_rh_info.prenom"))
        #expect(upstream.contains("bronze_rh_info.nom"))
        #expect(upstream.contains("rh_info.Prénom"))
        let downstream = Self.section(modelPage, from: "<div class=\"downstream\">", to: "</tr>")
        #expect(downstream.contains("silver_enterprise.nom_affiche"))
        #expect(modelPage.contains("privacy-direct"))

        // The search box (pre-filled by a #!/search/ link) lists matching columns and dims the rest of the graph.
        let searched = try Self.dumpDOM(browser, page.path + "#!/search/nom_affiche")
        let results = Self.section(searched, from: "<div id=\"results\"", to: "</header>")
        #expect(!results.hasPrefix("<div id=\"results\" hidden"))
        #expect(results.contains("silver_rh_info.nom_affiche"))
        #expect(!results.contains("bronze_sport_activities"))
        #expect(searched.contains("<g class=\"node dim\" data-id=\"model.sport_activities.bronze_sport_activities\""))
        #expect(searched.contains("<g class=\"node\" data-id=\"model.sport_activities.silver_rh_info\""))
    }
}
