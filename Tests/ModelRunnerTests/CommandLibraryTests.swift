import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// The library side of `show`, `run-operation`, `source freshness`, `clean`, `init`, the
/// structured logs and the artifact layout: pure parts without a database, the queries on a real
/// PostgreSQL.
@Suite struct CommandLibraryTests {
    static func source(
        freshness: JSONValue?, config: NodeConfig = [:], field: String? = "loaded_at"
    ) -> SourceDefinition {
        SourceDefinition(
            uniqueId: "source.p.raw.events", packageName: "p", sourceName: "raw", name: "events", identifier: "events",
            schema: "raw", relationName: "\"raw\".\"events\"", originalFilePath: "models/sources.yml",
            fqn: ["p", "raw", "events"],
            loadedAtField: field, freshness: freshness, config: config)
    }

    @Test func freshnessRuleStatusFollowsTheThresholds() throws {
        let rule = try #require(
            try SourceFreshness.Rule(
                Self.source(freshness: [
                    "warn_after": ["count": 2, "period": "hour"], "error_after": ["count": 1, "period": "day"],
                ])))
        #expect(rule.status(age: 3_600) == "pass")
        #expect(rule.status(age: 3 * 3_600) == "warn")
        #expect(rule.status(age: 25 * 3_600) == "error")
        // No thresholds: no rule, nothing to check.
        #expect(try SourceFreshness.Rule(Self.source(freshness: nil)) == nil)
        // A bad period and a rule without a field are errors.
        #expect(throws: Diagnostic.self) {
            try SourceFreshness.Rule(Self.source(freshness: ["warn_after": ["count": 1, "period": "week"]]))
        }
        #expect(throws: Diagnostic.self) {
            try SourceFreshness.Rule(
                Self.source(freshness: ["warn_after": ["count": 1, "period": "hour"]], field: nil))
        }
    }

    @Test func freshnessOnPostgresWithFilterAndLoadedAtQuery() async throws {
        try await TestDatabase.withSchema { connection, schema, _ in
            try connection.executeScript(
                """
                create table events (kind text, loaded_at timestamp);
                insert into events values ('old', now() at time zone 'utc' - interval '5 hours'), ('new', now() at time zone 'utc' - interval '10 minutes');
                """)
            var source = Self.source(freshness: [
                "warn_after": ["count": 1, "period": "hour"], "filter": "kind = 'old'",
            ])
            source.relationName = qualifiedName(schema, "events")
            let filtered = SourceFreshness.check(
                source, rule: try #require(try SourceFreshness.Rule(source)), session: connection)
            #expect(filtered.error == nil)
            #expect(filtered.status == "warn")
            #expect(abs((filtered.age ?? 0) - 5 * 3_600) < 120)
            let unfiltered = Self.source(freshness: ["warn_after": ["count": 1, "period": "hour"]])
            var all = unfiltered
            all.relationName = qualifiedName(schema, "events")
            #expect(
                SourceFreshness.check(all, rule: try #require(try SourceFreshness.Rule(all)), session: connection)
                    .status == "pass")
            var byQuery = Self.source(
                freshness: ["error_after": ["count": 1, "period": "minute"]],
                config: ["loaded_at_query": .string("select max(loaded_at) from \(qualifiedName(schema, "events"))")],
                field: nil)
            byQuery.relationName = "unused"
            let queried = SourceFreshness.check(
                byQuery, rule: try #require(try SourceFreshness.Rule(byQuery)), session: connection)
            #expect(queried.status == "error")
            var missing = all
            missing.relationName = qualifiedName(schema, "absent")
            let failed = SourceFreshness.check(
                missing, rule: try #require(try SourceFreshness.Rule(missing)), session: connection)
            #expect(failed.status == "runtime error")
            #expect(failed.error?.contains("absent") == true)
        }
    }

    @Test func fresherMeansLoadedSinceTheEarlierRun() {
        let states = SourceFreshnessStates(
            current: ["a": "2026-01-02T00:00:00.000000Z", "b": "2026-01-01T00:00:00Z", "c": "2026-01-01T00:00:00Z"],
            previous: ["a": "2026-01-01T00:00:00.000000Z", "b": "2026-01-01T00:00:00.000000Z"])
        #expect(states.isFresher("a"))
        #expect(!states.isFresher("b"))
        #expect(states.isFresher("c"))
        #expect(!states.isFresher("d"))
    }

    @Test func showLimitsMasksAndPrints() async throws {
        #expect(
            ShowQuery.limited("select 1;\n", limit: 3)
                == "select * from (\nselect 1\n) as sqlt_show_limit_subq\nlimit 3")
        #expect(ShowQuery.limited("select 1", limit: -1) == "select 1")
        try await TestDatabase.withSchema { connection, _, _ in
            let result = try ShowQuery.run(
                "select g as id, 'person ' || g as email, g * 1.5 as score, null::text as note from generate_series(1, 10) g order by g",
                limit: 2, session: connection)
            #expect(result.rows.count == 2)
            let masked = ShowQuery.masking(result, columns: ["email", "note"])
            #expect(masked.values("email") == ["****", "****"])
            #expect(masked.values("note") == [nil, nil])
            #expect(
                ShowQuery.text(masked) == """
                    | id | email | score | note |
                    | -- | ----- | ----- | ---- |
                    |  1 | ****  |   1.5 |      |
                    |  2 | ****  |   3.0 |      |
                    """)
            #expect(
                ShowQuery.json(masked, node: "m")
                    == #"{"node":"m","show":[{"email":"****","id":1,"note":null,"score":1.5},{"email":"****","id":2,"note":null,"score":3}]}"#
            )
        }
    }

    @Test func personalColumnsComeFromDeclarationsAndLineage() {
        let node = ManifestNode(
            uniqueId: "model.p.m", resourceType: .model, name: "m", packageName: "p", path: "m.sql",
            originalFilePath: "models/m.sql",
            fqn: ["p", "m"], schema: "s", alias: "m", rawCode: "",
            columns: [
                "email": ColumnInfo(name: "email", meta: ["pii": "direct"]),
                "id": ColumnInfo(name: "id", meta: ["pii": "none"]),
            ])
        let lineage = NodeLineage(
            uniqueId: "model.p.m", resourceType: "model",
            columns: [
                ColumnLineageEntry(name: "city", privacy: "indirect", piiSources: [], inputs: []),
                ColumnLineageEntry(name: "id", privacy: "none", piiSources: [], inputs: []),
            ], issues: [])
        #expect(ShowQuery.personalColumns(of: node, lineage: lineage) == ["email", "city"])
    }

    @Test func runOperationCallsTheMacroWithLiterals() {
        #expect(
            RunOperation.callText(
                macro: "grant", args: ["role": "o'neil", "days": 7, "dry": true, "list": ["a", .null]])
                == #"{{ grant(days=7, dry=true, list=['a', none], role='o\'neil') }}"#)
    }

    @Test func cleanRefusesPathsOutsideTheProjectAndDeletesNothingThen() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sqlt-clean-\(UUID().uuidString.prefix(8))")
        defer {
            try? FileManager.default.removeItem(
                at: root.deletingLastPathComponent().appendingPathComponent(root.lastPathComponent + "-outside"))
        }
        defer { try? FileManager.default.removeItem(at: root) }
        let outside = root.deletingLastPathComponent().appendingPathComponent(root.lastPathComponent + "-outside")
        for folder in [root.appendingPathComponent("target/run"), root.appendingPathComponent("logs"), outside] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        let location = SourceLocation(file: "sqlt_project.yml", line: 4, column: 16)
        for bad in ["../\(outside.lastPathComponent)", outside.path, ".", "target/../.."] {
            #expect(throws: DiagnosticsError.self) {
                try ProjectCleaner.clean(targets: ["target", bad], projectRoot: root, declaredAt: location)
            }
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("target").path))
            #expect(FileManager.default.fileExists(atPath: outside.path))
        }
        // A symbolic link inside the project that points outside is refused too.
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("link"), withDestinationURL: outside)
        #expect(throws: DiagnosticsError.self) {
            try ProjectCleaner.clean(targets: ["link"], projectRoot: root, declaredAt: location)
        }
        let outcome = try ProjectCleaner.clean(
            targets: ["target", "logs", "dbt_packages"], projectRoot: root, declaredAt: location)
        #expect(outcome == ProjectCleaner.Outcome(removed: ["target", "logs"], missing: ["dbt_packages"]))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("target").path))
        #expect(FileManager.default.fileExists(atPath: outside.path))
    }

    @Test func initNamesAndEmbeddedProfile() throws {
        #expect(ProjectScaffold.isValidName("my_project2"))
        #expect(!ProjectScaffold.isValidName("2fast"))
        #expect(!ProjectScaffold.isValidName("my-project"))
        let profiles = try #require(ProjectScaffold.files(name: "shop")["profiles.yml"])
        let file = try ProfilesFile(text: profiles, path: "profiles.yml")
        #expect(file.embeddedTarget(profile: "shop", target: nil) == "dev")
        let resolver = ConnectionResolver(
            environment: [:], homeDir: "/nonexistent", readFile: { $0 == "/p/profiles.yml" ? profiles : nil })
        let resolution = try resolver.resolve(
            ConnectionOptions(databaseURL: nil, profilesDir: nil, target: nil, profileName: "shop", projectDir: "/p"))
        #expect(resolution.connection == .embedded)
        #expect(resolution.targetName == "dev")
        // DBT_PROFILES_DIR is searched when SQLT_PROFILES_DIR is not set.
        let dbtEnv = ConnectionResolver(
            environment: ["DBT_PROFILES_DIR": "/dbt"], homeDir: "/h", readFile: { _ in nil })
        #expect(
            dbtEnv.profilesFolders(
                ConnectionOptions(databaseURL: nil, profilesDir: nil, target: nil, profileName: nil, projectDir: "/p")
            ).first?.folder == "/dbt")
    }

    @Test func logEventsInDbtsShapeAndLevels() throws {
        final class Lines: @unchecked Sendable { var all: [String] = [] }
        let lines = Lines()
        let output = LogOutput(format: .json, consoleLevel: .info, invocationId: "inv", logFile: nil) { line, _ in
            lines.all.append(line)
        }
        output.emit(
            LogEvent(name: "NodeStart", code: "Q024", level: .debug, message: "m", data: ["x": 1]), structured: true)
        output.emit(LogEvent.note("hidden debug", level: .debug))
        output.emit(LogEvent.note("shown"))
        #expect(lines.all.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines.all[0].utf8)) as? [String: Any])
        let info = try #require(first["info"] as? [String: Any])
        #expect(
            Set(info.keys) == [
                "name", "code", "msg", "level", "invocation_id", "pid", "thread", "ts", "extra", "category",
            ])
        #expect(info["name"] as? String == "NodeStart")
        #expect(info["level"] as? String == "debug")
        #expect(info["invocation_id"] as? String == "inv")
        #expect((first["data"] as? [String: Any])?["x"] as? Int == 1)
        let quiet = Lines()
        let text = LogOutput(format: .text, consoleLevel: .error, invocationId: "i", logFile: nil) { line, _ in
            quiet.all.append(line)
        }
        text.emit(LogEvent.note("info line"))
        text.emit(LogEvent.note("bad", level: .error))
        #expect(quiet.all == ["bad"])
    }
}
