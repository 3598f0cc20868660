import Foundation
import ModelRunner
import TestSupport
import Testing

/// dbt's command line through the `sqlt` binary on a real PostgreSQL: global flags before and
/// after the subcommand and dbt's environment variables, `--log-format json`, `show`,
/// `source freshness` (and `source_status:fresher`), `run-operation`, `clean`, `init`, and the
/// artifacts' layout and dbt JSON schemas.
@Suite(.serialized) struct DbtCommandLineTests {
    static func project(schema: String, extra: [String: String] = [:]) throws -> URL {
        var files: [String: String] = [
            "dbt_project.yml": "name: shop\nprofile: shop\nclean-targets: [target, logs]\n",
            "seeds/people.csv":
                "id,email,city\n1,ann@example.com,Lyon\n2,bob@example.com,Nice\n3,cy@example.com,Lyon\n",
            "models/customers.sql":
                "{{ config(materialized='table') }}\nselect id, email, city from {{ ref('people') }}",
            "models/cities.sql": "select city, count(*) as people from {{ ref('customers') }} group by city",
            "macros/ops.sql": """
            {% macro make_marker(name, value=1) %}
            {% do run_query("create table " ~ target.schema ~ "." ~ name ~ " as select " ~ value ~ " as v") %}
            {% endmacro %}
            """,
            "models/schema.yml": """
            version: 2
            models:
              - name: customers
                columns:
                  - name: id
                    data_tests: [unique, not_null]
                  - name: email
                    meta: {pii: direct}
                  - name: city
                    data_tests:
                      - accepted_values:
                          values: [Lyon, Nice]
            sources:
              - name: raw
                schema: \(schema)
                loaded_at_field: loaded_at
                freshness:
                  warn_after: {count: 1, period: hour}
                  error_after: {count: 1, period: day}
                tables:
                  - name: fresh
                  - name: stale
                  - name: unchecked
                    freshness: null
            """,
        ]
        for (path, text) in extra { files[path] = text }
        let folder = try TemporaryProject.write(files, prefix: "dbtcli")
        return folder
    }

    /// The folder of dbt's JSON schemas (generated from dbt-core 1.11's artifact classes).
    static let schemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("dbt-schemas")

    /// Validates a JSON file against one of dbt's schemas with Python's jsonschema; returns the
    /// errors, leaving out those of nodes whose unique id starts with `ignoringNodes`.
    static func schemaErrors(_ file: URL, schema: String, ignoringNodes: String = "-") throws -> String {
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); data = json.load(open(sys.argv[2]))
            errors = [e for e in jsonschema.Draft202012Validator(schema).iter_errors(data)
                      if not (len(e.absolute_path) > 1 and e.absolute_path[0] == "nodes" and str(e.absolute_path[1]).startswith(sys.argv[3]))]
            print("\\n".join(f"{list(e.absolute_path)[:4]}: {e.message[:300]}" for e in errors[:20]))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c", script, schemas.appendingPathComponent(schema + ".json").path, file.path, ignoringNodes,
        ]
        let pipe = Pipe(), errors = Pipe()
        process.standardOutput = pipe
        process.standardError = errors
        try process.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            return "python3 with jsonschema is needed (scripts/install_deps.sh installs python3-jsonschema): "
                + String(decoding: err, as: UTF8.self)
        }
        return String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func globalFlagsBeforeOrAfterTheSubcommandAndDbtEnvironment() async throws {
        try await TestDatabase.withSchema { _, schema, settings in
            let folder = try Self.project(schema: schema)
            defer { try? FileManager.default.removeItem(at: folder) }
            let url = settings.url()
            let before = try SqltProcess.run([
                "--no-partial-parse", "-q", "--target-path", "out", "--no-use-colors", "parse", "--project-dir",
                folder.path, "--database-url", url,
            ])
            #expect(before.exitCode == 0, "\(before.stderr)")
            #expect(before.stdout.isEmpty, "--quiet prints nothing but errors: \(before.stdout)")
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/manifest.json").path))
            let after = try SqltProcess.run([
                "parse", "--project-dir", folder.path, "--database-url", url, "--no-partial-parse", "--partial-parse",
                "--no-version-check", "--no-print", "--print", "--use-colors", "--log-level", "warn", "--debug",
                "--profile", "shop", "-t", "dev",
            ])
            #expect(after.exitCode == 0, "\(after.stderr)")
            // dbt's environment variables when sqlt's own options are absent.
            let env = try SqltProcess.run(
                ["parse", "--database-url", url], cwd: FileManager.default.temporaryDirectory.path,
                environment: ["DBT_PROJECT_DIR": folder.path, "DBT_TARGET_PATH": "from_env"])
            #expect(env.exitCode == 0, "\(env.stderr)")
            #expect(
                FileManager.default.fileExists(atPath: folder.appendingPathComponent("from_env/manifest.json").path))
            // --quiet hides progress but not a command's result.
            let listed = try SqltProcess.run([
                "-q", "ls", "--output", "name", "--resource-type", "model", "--project-dir", folder.path,
                "--database-url", url,
            ])
            #expect(listed.stdout.split(separator: "\n").map(String.init) == ["cities", "customers"])
            let listedJSON = try SqltProcess.run([
                "ls", "-q", "--log-format", "json", "--resource-type", "seed", "--project-dir", folder.path,
                "--database-url", url,
            ])
            #expect(listedJSON.stdout.split(separator: "\n").count == 1, "only the PrintEvent: \(listedJSON.stdout)")
            #expect(
                listedJSON.stdout.contains(#""name":"PrintEvent""#)
                    && listedJSON.stdout.contains(#""msg":"shop.people""#))
            let bad = try SqltProcess.run(["--log-format", "xml", "parse", "--project-dir", folder.path])
            #expect(bad.exitCode != 0)
            #expect(bad.stderr.contains("--log-format must be text, json or debug"))
        }
    }

    @Test func jsonLogsCarryDbtsNodeEventsAndALogFile() async throws {
        try await TestDatabase.withSchema { _, schema, settings in
            let folder = try Self.project(schema: schema)
            defer { try? FileManager.default.removeItem(at: folder) }
            let build = try SqltProcess.run([
                "--log-format", "json", "build", "--project-dir", folder.path, "--database-url", settings.url(),
            ])
            #expect(build.exitCode == 0, "\(build.stdout.suffix(2000))\(build.stderr)")
            let events = try build.stdout.split(separator: "\n").map { line in
                try #require(
                    try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
            }
            func info(_ event: [String: Any]) -> [String: Any] { event["info"] as? [String: Any] ?? [:] }
            func data(_ event: [String: Any]) -> [String: Any] { event["data"] as? [String: Any] ?? [:] }
            #expect(info(try #require(events.first))["name"] as? String == "MainReportVersion")
            let last = try #require(events.last)
            #expect(info(last)["name"] as? String == "CommandCompleted")
            #expect(data(last)["success"] as? Bool == true)
            let ids = Set(events.compactMap { info($0)["invocation_id"] as? String })
            #expect(ids.count == 1)
            func nodeInfo(_ name: String, _ id: String) -> [String: Any]? {
                events.first {
                    info($0)["name"] as? String == name
                        && (data($0)["node_info"] as? [String: Any])?["unique_id"] as? String == id
                }
                .flatMap { data($0)["node_info"] as? [String: Any] }
            }
            let started = try #require(nodeInfo("NodeStart", "model.shop.customers"))
            #expect(started["node_status"] as? String == "started")
            let finished = try #require(nodeInfo("NodeFinished", "model.shop.customers"))
            #expect(finished["node_status"] as? String == "success")
            #expect(finished["resource_type"] as? String == "model")
            #expect(finished["materialized"] as? String == "table")
            let start = try #require(finished["node_started_at"] as? String),
                end = try #require(finished["node_finished_at"] as? String)
            #expect(!start.isEmpty && start <= end)
            #expect((nodeInfo("NodeFinished", "model.shop.cities"))?["materialized"] as? String == "view")
            #expect(
                nodeInfo(
                    "LogTestResult",
                    "test.shop.not_null_customers_id.\(try testSuffix(folder, "not_null_customers_id"))") != nil)
            let log = try String(contentsOf: folder.appendingPathComponent("logs/sqlt.log"), encoding: .utf8)
            #expect(log.contains("Finished running node model.shop.customers"))
            // --log-path moves the log file.
            let moved = try SqltProcess.run([
                "parse", "--log-path", "elsewhere", "--project-dir", folder.path, "--database-url", settings.url(),
            ])
            #expect(moved.exitCode == 0)
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("elsewhere/sqlt.log").path))
        }
    }

    /// The hash suffix of a generic test's unique id, from the manifest.
    func testSuffix(_ folder: URL, _ name: String) throws -> String {
        let manifest = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: folder.appendingPathComponent("target/manifest.json"))) as? [String: Any])
        let nodes = try #require(manifest["nodes"] as? [String: Any])
        let id = try #require(nodes.keys.first { $0.hasPrefix("test.shop.\(name).") })
        return String(id.split(separator: ".").last!)
    }

    @Test func showMasksPersonalDataUnlessAsked() async throws {
        try await TestDatabase.withSchema { _, schema, settings in
            let folder = try Self.project(schema: schema)
            defer { try? FileManager.default.removeItem(at: folder) }
            let base = ["--project-dir", folder.path, "--database-url", settings.url()]
            #expect(try SqltProcess.run(["build"] + base).exitCode == 0)
            let masked = try SqltProcess.run(["show", "-s", "customers", "--limit", "2"] + base)
            #expect(masked.exitCode == 0, "\(masked.stderr)")
            #expect(masked.stdout.contains("Previewing node 'customers':"))
            #expect(masked.stdout.contains("****"))
            #expect(!masked.stdout.contains("ann@example.com"))
            #expect(
                masked.stdout.split(separator: "\n").count == 5, "title, header, separator and 2 rows: \(masked.stdout)"
            )
            let clear = try SqltProcess.run(["show", "--select", "customers", "--show-pii", "--output", "json"] + base)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(clear.stdout.utf8)) as? [String: Any])
            #expect(json["node"] as? String == "customers")
            let rows = try #require(json["show"] as? [[String: Any]])
            #expect(rows.count == 3)
            #expect(rows.contains { $0["email"] as? String == "ann@example.com" && $0["id"] as? Int == 1 })
            // Inline queries are masked through column lineage: the email reaches the output, the city count does not.
            let inline = try SqltProcess.run(
                [
                    "show", "--inline", "select upper(email) as e, city from {{ ref('customers') }} order by 1",
                    "--output", "json",
                ] + base)
            #expect(inline.stdout.contains("\"e\":\"****\""), "\(inline.stdout)\(inline.stderr)")
            #expect(inline.stdout.contains("\"city\":\"Lyon\""))
            let quiet = try SqltProcess.run(
                ["-q", "show", "--inline", "select count(*) as n from {{ ref('cities') }}"] + base)
            #expect(quiet.stdout.contains("| 2 |"), "--quiet still prints the preview: \(quiet.stdout)")
            let unknown = try SqltProcess.run(["show", "-s", "nope"] + base)
            #expect(unknown.exitCode == 2)
        }
    }

    @Test func sourceFreshnessWritesSourcesJsonAndSelectsFresherSources() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let folder = try Self.project(schema: schema)
            defer { try? FileManager.default.removeItem(at: folder) }
            try connection.executeScript(
                """
                create table fresh as select now() - interval '10 minutes' as loaded_at;
                create table stale as select now() - interval '3 days' as loaded_at;
                """)
            let base = ["--project-dir", folder.path, "--database-url", settings.url()]
            let passing = try SqltProcess.run(["source", "freshness", "-s", "source:raw.fresh"] + base)
            #expect(passing.exitCode == 0, "\(passing.stdout)\(passing.stderr)")
            #expect(passing.stdout.contains("PASS freshness of raw.fresh"))
            let all = try SqltProcess.run(["source", "freshness"] + base)
            #expect(all.exitCode == 1, "an error_after breach exits 1: \(all.stdout)")
            #expect(all.stdout.contains("ERROR freshness of raw.stale"))
            #expect(!all.stdout.contains("raw.unchecked"))
            let sources = folder.appendingPathComponent("target/sources.json")
            #expect(try Self.schemaErrors(sources, schema: "sources-v3") == "")
            let results = try #require(
                (try JSONSerialization.jsonObject(with: Data(contentsOf: sources)) as? [String: Any])?["results"]
                    as? [[String: Any]])
            #expect(Set(results.compactMap { $0["status"] as? String }) == ["pass", "error"])
            let stale = try #require(results.first { $0["unique_id"] as? String == "source.shop.raw.stale" })
            #expect(((stale["max_loaded_at_time_ago_in_s"] as? Double) ?? 0) > 2.9 * 86_400)
            let json = try SqltProcess.run(["source", "freshness", "--log-format", "json"] + base)
            #expect(json.exitCode == 1)
            let freshnessEvents = json.stdout.split(separator: "\n").filter {
                $0.contains(#""name":"LogFreshnessResult""#)
            }
            #expect(freshnessEvents.count == 2)
            #expect(
                freshnessEvents.contains {
                    $0.contains(#""unique_id":"source.shop.raw.stale""#) && $0.contains(#""status":"error""#)
                })
            let state = folder.appendingPathComponent("state")
            try FileManager.default.copyItem(at: folder.appendingPathComponent("target"), to: state)
            // A new load of `fresh`: it, and it alone, is fresher than in the state folder.
            try connection.executeScript("insert into fresh values (now())")
            _ = try SqltProcess.run(["source", "freshness"] + base)
            let fresher = try SqltProcess.run(
                ["ls", "-s", "source_status:fresher", "--state", state.path, "--output", "name"] + base)
            #expect(fresher.exitCode == 0, "\(fresher.stderr)")
            #expect(fresher.stdout.split(separator: "\n").map(String.init) == ["raw.fresh"])
            let missingState = try SqltProcess.run(["ls", "-s", "source_status:fresher"] + base)
            #expect(missingState.exitCode == 2)
        }
    }

    /// dbt 1.11 runs the project's `on-run-start`/`on-run-end` hooks around `source freshness`,
    /// unless `flags: {source_freshness_run_project_hooks: false}`.
    @Test func sourceFreshnessRunsTheProjectHooks() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            func project(flag: String) -> String {
                """
                name: shop
                profile: shop
                \(flag)
                on-run-start: ["create table {{ target.schema }}.started as select count(*) as n from {{ target.schema }}.fresh"]
                on-run-end: ["create table {{ target.schema }}.ended as select 1 as n"]
                """
            }
            let folder = try Self.project(schema: schema, extra: ["dbt_project.yml": project(flag: "")])
            defer { try? FileManager.default.removeItem(at: folder) }
            try connection.executeScript("create table fresh as select now() as loaded_at")
            let base = ["--project-dir", folder.path, "--database-url", settings.url()]
            let result = try SqltProcess.run(["source", "freshness", "-s", "source:raw.fresh"] + base)
            #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("1 of 1 OK hook: shop.on-run-start.0"), "\(result.stdout)")
            #expect(result.stdout.contains("1 of 1 OK hook: shop.on-run-end.0"), "\(result.stdout)")
            #expect(try connection.execute("select n from started").scalar == "1")
            #expect(try connection.execute("select n from ended").scalar == "1")
            try connection.executeScript("drop table started; drop table ended")
            try project(flag: "flags: {source_freshness_run_project_hooks: false}").write(
                to: folder.appendingPathComponent("dbt_project.yml"), atomically: true, encoding: .utf8)
            let off = try SqltProcess.run(["source", "freshness", "-s", "source:raw.fresh"] + base)
            #expect(off.exitCode == 0, "\(off.stdout)\(off.stderr)")
            #expect(!off.stdout.contains("hook"), "\(off.stdout)")
            #expect(
                try connection.execute(
                    "select count(*) from pg_tables where schemaname = $1 and tablename in ('started', 'ended')",
                    [schema]
                ).scalar == "0")
            try project(flag: "flags: {source_freshness_run_project_hooks: sometimes}").write(
                to: folder.appendingPathComponent("dbt_project.yml"), atomically: true, encoding: .utf8)
            let bad = try SqltProcess.run(["source", "freshness"] + base)
            #expect(bad.exitCode == 2)
            #expect(bad.stderr.contains("dbt_project.yml:3:"), "\(bad.stderr)")
            #expect(bad.stderr.contains("must be true or false"), "\(bad.stderr)")
        }
    }

    @Test func runOperationCallsMacrosAndRunsSQL() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let folder = try Self.project(schema: schema)
            defer { try? FileManager.default.removeItem(at: folder) }
            let base = ["--project-dir", folder.path, "--database-url", settings.url()]
            let called = try SqltProcess.run(
                ["run-operation", "make_marker", "--args", "{name: marker, value: 42}"] + base)
            #expect(called.exitCode == 0, "\(called.stdout)\(called.stderr)")
            #expect(try connection.execute("select v from marker").scalar == "42")
            let sql = try SqltProcess.run(
                ["run-operation", "--sql", "insert into marker select count(*) from {{ ref('people') }}"] + base)
            #expect(sql.exitCode == 1, "people is not built yet: a database error")
            #expect(try SqltProcess.run(["seed"] + base).exitCode == 0)
            #expect(
                try SqltProcess.run(
                    [
                        "run-operation", "--sql",
                        "insert into {{ target.schema }}.marker select count(*) from {{ ref('people') }}",
                    ] + base
                ).exitCode == 0)
            #expect(try connection.execute("select string_agg(v::text, ',' order by v) from marker").scalar == "3,42")
            let unknown = try SqltProcess.run(["run-operation", "make_markr"] + base)
            #expect(unknown.exitCode == 2)
            #expect(unknown.stderr.contains("did you mean 'make_marker'?"))
        }
    }

    @Test func cleanAndInit() async throws {
        try await TestDatabase.withSchema { _, schema, settings in
            let folder = try Self.project(schema: schema)
            defer { try? FileManager.default.removeItem(at: folder) }
            let base = ["--project-dir", folder.path, "--database-url", settings.url()]
            #expect(try SqltProcess.run(["parse"] + base).exitCode == 0)
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("target/manifest.json").path))
            let cleaned = try SqltProcess.run(["clean"] + base)
            #expect(cleaned.exitCode == 0, "\(cleaned.stderr)")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("target").path))
            try "name: shop\nclean-targets: [target, ../../etc]\n".write(
                to: folder.appendingPathComponent("dbt_project.yml"), atomically: true, encoding: .utf8)
            let refused = try SqltProcess.run(["clean"] + base)
            #expect(refused.exitCode == 2)
            #expect(refused.stderr.contains("dbt_project.yml:2:"), "\(refused.stderr)")
            #expect(refused.stderr.contains("outside the project folder"))

            let parent = FileManager.default.temporaryDirectory.appendingPathComponent(
                "sqlt-init-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: parent) }
            let created = try SqltProcess.run(["init", "analytics"], cwd: parent.path)
            #expect(created.exitCode == 0, "\(created.stderr)")
            let project = parent.appendingPathComponent("analytics")
            #expect(
                try String(contentsOf: project.appendingPathComponent("profiles.yml"), encoding: .utf8).contains(
                    "type: embedded"))
            let built = try SqltProcess.run(["build", "--database-url", settings.url()], cwd: project.path)
            #expect(built.exitCode == 0, "\(built.stdout)\(built.stderr)")
            #expect(built.stdout.contains("PASS=6"))
            #expect(
                try SqltProcess.run(["init", "analytics"], cwd: parent.path).exitCode == 2,
                "an existing folder is refused")
            #expect(try SqltProcess.run(["init", "9lives"], cwd: parent.path).exitCode == 2)
        }
    }

    @Test func artifactsFollowDbtsLayoutAndSchemas() async throws {
        try await TestDatabase.withSchema { _, schema, settings in
            let folder = try Self.project(
                schema: schema, extra: ["seeds/people.csv": "id,email,city\n1,a@x,Lyon\n1,b@x,Paris\n"])
            defer { try? FileManager.default.removeItem(at: folder) }
            let base = ["--project-dir", folder.path, "--database-url", settings.url()]
            // An older sqlt wrote one file per property file where dbt has a folder: it is replaced.
            let old = folder.appendingPathComponent("target/run/shop/models/schema.yml")
            try FileManager.default.createDirectory(
                at: old.deletingLastPathComponent(), withIntermediateDirectories: true)
            try "old".write(to: old, atomically: true, encoding: .utf8)
            let build = try SqltProcess.run(["build"] + base, environment: ["NO_COLOR": "1"])
            #expect(build.exitCode == 1, "unique, accepted_values fail: \(build.stdout)")
            let unique = "unique_customers_id", accepted = "accepted_values_customers_city__Lyon__Nice"
            for name in [unique, accepted, "not_null_customers_id"] {
                for kind in ["compiled", "run"] {
                    let path = "target/\(kind)/shop/models/schema.yml/\(name).sql"
                    #expect(
                        FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path),
                        "\(path) is missing")
                }
            }
            for kind in ["compiled", "run"] {
                #expect(
                    FileManager.default.fileExists(
                        atPath: folder.appendingPathComponent("target/\(kind)/shop/models/customers.sql").path))
            }
            // The failure message points at a file that exists.
            let pointer = try #require(
                build.stdout.split(separator: "\n").first { $0.contains("compiled code at") && $0.contains(unique) })
            let path = String(pointer.split(separator: " ").last!)
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path), "\(path)")
            let runResults = folder.appendingPathComponent("target/run_results.json")
            #expect(try Self.schemaErrors(runResults, schema: "run-results-v6") == "")
            // dbt's `invocation_command` in `args`, the database URL masked.
            let args = try #require(
                (try JSONSerialization.jsonObject(with: Data(contentsOf: runResults)) as? [String: Any])?["args"]
                    as? [String: Any])
            #expect(args["which"] as? String == "build")
            #expect(
                args["invocation_command"] as? String == "sqlt build --project-dir \(folder.path) --database-url *****")
            let docs = try SqltProcess.run(["docs", "generate"] + base)
            #expect(docs.exitCode == 0, "\(docs.stderr)")
            #expect(
                try Self.schemaErrors(folder.appendingPathComponent("target/catalog.json"), schema: "catalog-v1") == "")
            #expect(
                try Self.schemaErrors(folder.appendingPathComponent("target/manifest.json"), schema: "manifest-v12")
                    == "")
        }
    }

    /// dbt 1.11 writes no compiled file for a snapshot and gives every `{% snapshot %}` block of
    /// one file that file's run path (`target/run/<project>/snapshots/<file>.sql`, a file, never
    /// a folder, so dbt and sqlt can take turns on one target folder); sqlt keeps that path and
    /// puts each block's SQL in it, so neither block's SQL is lost.
    @Test func snapshotBlocksOfOneFileShareDbtsRunFile() async throws {
        try await TestDatabase.withSchema { _, schema, settings in
            let folder = try Self.project(
                schema: schema,
                extra: [
                    "snapshots/history.sql": """
                    {% snapshot people_by_id %}
                    {{ config(target_schema='\(schema)', unique_key='id', strategy='check', check_cols='all') }}
                    select id, city from {{ ref('people') }}
                    {% endsnapshot %}

                    {% snapshot emails_by_id %}
                    {{ config(target_schema='\(schema)', unique_key='id', strategy='check', check_cols=['email']) }}
                    select id, email from {{ ref('people') }}
                    {% endsnapshot %}
                    """
                ])
            defer { try? FileManager.default.removeItem(at: folder) }
            let base = ["--project-dir", folder.path, "--database-url", settings.url()]
            #expect(try SqltProcess.run(["seed"] + base).exitCode == 0)
            let snapshot = try SqltProcess.run(["snapshot"] + base)
            #expect(snapshot.exitCode == 0, "\(snapshot.stdout)\(snapshot.stderr)")
            let run = folder.appendingPathComponent("target/run/shop/snapshots/history.sql")
            var isFolder: ObjCBool = true
            #expect(FileManager.default.fileExists(atPath: run.path, isDirectory: &isFolder) && !isFolder.boolValue)
            let text = try String(contentsOf: run, encoding: .utf8)
            let one = try #require(text.range(of: "-- snapshot.shop.emails_by_id\n"))
            let two = try #require(text.range(of: "-- snapshot.shop.people_by_id\n"))
            #expect(one.upperBound < two.lowerBound, "unique-id order: \(text)")
            #expect(text[one.upperBound..<two.lowerBound].contains("\"emails_by_id\""))
            #expect(text[two.upperBound...].contains("\"people_by_id\""))
            #expect(
                !FileManager.default.fileExists(
                    atPath: folder.appendingPathComponent("target/compiled/shop/snapshots").path),
                "dbt writes no compiled file for snapshots")
            let compile = try SqltProcess.run(["compile"] + base)
            #expect(compile.exitCode == 0, "\(compile.stderr)")
            #expect(
                !FileManager.default.fileExists(
                    atPath: folder.appendingPathComponent("target/compiled/shop/snapshots").path))
            #expect(
                FileManager.default.fileExists(
                    atPath: folder.appendingPathComponent("target/compiled/shop/models/customers.sql").path))
            #expect(
                try Self.schemaErrors(
                    folder.appendingPathComponent("target/run_results.json"), schema: "run-results-v6")
                    == "")
        }
    }

    /// dbt's `CommandCompleted` names the whole command (`dbt source freshness`, `dbt docs
    /// generate`, `dbt run-operation` without its macro) and gives the UTC time of day.
    @Test func commandCompletedNamesTheWholeCommand() async throws {
        try await TestDatabase.withSchema { _, schema, settings in
            let folder = try Self.project(schema: schema)
            defer { try? FileManager.default.removeItem(at: folder) }
            let base = ["--project-dir", folder.path, "--database-url", settings.url()]
            for (arguments, command) in [
                (["source", "freshness"], "sqlt source freshness"), (["docs", "generate"], "sqlt docs generate"),
                (["run-operation", "make_marker", "--args", "{name: marker}"], "sqlt run-operation"),
                (["parse"], "sqlt parse"),
            ] {
                let result = try SqltProcess.run(["--log-format", "json"] + arguments + base)
                let last = try #require(result.stdout.split(separator: "\n").last, "\(result.stderr)")
                let event = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
                let info = try #require(event["info"] as? [String: Any]),
                    data = try #require(event["data"] as? [String: Any])
                #expect(info["name"] as? String == "CommandCompleted")
                #expect(data["command"] as? String == command, "\(last)")
                let message = try #require(info["msg"] as? String)
                #expect(
                    message.wholeMatch(
                        of: #/Command `[a-z -]+` (succeeded|failed) at \d\d:\d\d:\d\d\.\d{6} after \d+\.\d\d seconds/#)
                        != nil && message.contains("`\(command)`"), "\(message)")
            }
        }
    }

    /// Templates see dbt's `flags.WHICH`, `invocation_args_dict.which` and `invocation_command`
    /// of the command that runs (they said `run` / `sqlt run` whatever the command).
    @Test func templatesSeeTheCommandThatRuns() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let folder = try Self.project(
                schema: schema,
                extra: [
                    "models/invocation.sql": """
                    {{ config(materialized='table') }}
                    select '{{ flags.WHICH }}' as which, '{{ invocation_args_dict.which }}' as args_which,
                           '{{ invocation_args_dict.invocation_command }}' as command
                    """
                ])
            defer { try? FileManager.default.removeItem(at: folder) }
            let base = ["--project-dir", folder.path, "--database-url", settings.url()]
            let row = "select which || '|' || args_which || '|' || command from \(schema).invocation"
            for command in ["build", "run"] {
                let result = try SqltProcess.run([command, "-s", "+invocation"] + base)
                #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
                #expect(
                    try connection.execute(row).scalar
                        == "\(command)|\(command)|sqlt \(command) -s +invocation --project-dir \(folder.path) --database-url *****"
                )
            }
            #expect(try SqltProcess.run(["compile", "-s", "invocation"] + base).exitCode == 0)
            let compiled = try String(
                contentsOf: folder.appendingPathComponent("target/compiled/shop/models/invocation.sql"), encoding: .utf8
            )
            #expect(compiled.contains("select 'compile' as which, 'compile' as args_which"), "\(compiled)")
        }
    }

    /// `--defer --state`: a model built alone in a new schema reads its unbuilt parent from the
    /// relation of the state manifest; `--favor-state` does so even when the parent exists here.
    @Test func deferReadsUnbuiltParentsFromTheStateManifest() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let folder = try Self.project(schema: schema)
            defer { try? FileManager.default.removeItem(at: folder) }
            let production = ["--project-dir", folder.path, "--database-url", settings.url()]
            #expect(try SqltProcess.run(["build"] + production).exitCode == 0)
            let state = folder.appendingPathComponent("prod-state")
            try FileManager.default.copyItem(at: folder.appendingPathComponent("target"), to: state)
            var dev = settings
            dev.schema = schema + "_dev"
            try connection.execute("create schema \(dev.schema)")
            defer { _ = try? connection.execute("drop schema \(dev.schema) cascade") }
            let devArgs = ["--project-dir", folder.path, "--database-url", dev.url()]
            let alone = try SqltProcess.run(["run", "-s", "cities"] + devArgs)
            #expect(alone.exitCode == 1, "without --defer the parent is missing: \(alone.stdout)")
            let deferred = try SqltProcess.run(["run", "-s", "cities", "--defer", "--state", state.path] + devArgs)
            #expect(deferred.exitCode == 0, "\(deferred.stdout)\(deferred.stderr)")
            #expect(
                deferred.stdout.contains(
                    "Deferring 2 unbuilt nodes to the state manifest: model.shop.customers, seed.shop.people"))
            #expect(try connection.execute("select sum(people) from \(dev.schema).cities").scalar == "3")
            // The parent built in dev with other rows: deferred only with --favor-state.
            try connection.execute(
                "create table \(dev.schema).customers as select 9 as id, 'x' as email, 'Metz' as city")
            #expect(
                try SqltProcess.run(["run", "-s", "cities", "--defer", "--state", state.path] + devArgs).exitCode == 0)
            #expect(try connection.execute("select string_agg(city, ',') from \(dev.schema).cities").scalar == "Metz")
            #expect(
                try SqltProcess.run(
                    ["run", "-s", "cities", "--defer", "--favor-state", "--state", state.path] + devArgs
                ).exitCode == 0)
            #expect(try connection.execute("select sum(people) from \(dev.schema).cities").scalar == "3")
            #expect(
                try SqltProcess.run(["run", "-s", "cities", "--defer"] + devArgs).exitCode == 2, "--defer needs --state"
            )
        }
    }

    /// `--sample`: a model reading a source with an `event_time` sees only the window's rows.
    @Test func sampleReadsOnlyTheWindowOfEventTimeSources() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let folder = try Self.project(
                schema: schema,
                extra: [
                    "models/recent.sql":
                        "{{ config(materialized='table') }}\nselect count(*) as n from {{ source('raw', 'events') }}",
                    "models/events.yml": """
                    version: 2
                    sources:
                      - name: raw
                        schema: \(schema)
                        tables:
                          - name: events
                            config: {event_time: at}
                    """,
                    "models/schema.yml": "version: 2\n",
                ])
            defer { try? FileManager.default.removeItem(at: folder) }
            try connection.executeScript(
                "create table events as select now() - interval '1 hour' as at union all select now() - interval '5 days'"
            )
            let base = ["--project-dir", folder.path, "--database-url", settings.url()]
            #expect(try SqltProcess.run(["run", "-s", "recent", "--sample", "2 days"] + base).exitCode == 0)
            #expect(try connection.execute("select n from recent").scalar == "1")
            #expect(
                try SqltProcess.run(["run", "-s", "recent", "--sample", "{start: 2000-01-01}"] + base).exitCode == 0)
            #expect(try connection.execute("select n from recent").scalar == "2")
            let bad = try SqltProcess.run(["run", "-s", "recent", "--sample", "3 weeks"] + base)
            #expect(bad.exitCode == 2)
            #expect(bad.stderr.contains("must be hour, day, month or year"))
        }
    }

    /// The flagship's artifacts under dbt's schemas (its unit tests in the manifest's `unit_tests`).
    @Test func flagshipArtifactsValidateAgainstDbtsSchemas() async throws {
        try await TestDatabase.withSchema { _, _, settings in
            let project = try FlagshipProject.copy()
            defer { try? FileManager.default.removeItem(at: project) }
            let base = ["--project-dir", project.path, "--database-url", settings.url()]
            let build = try SqltProcess.run(["build", "--no-partial-parse", "--log-format", "json"] + base)
            #expect(build.exitCode == 0, "\(build.stdout.suffix(3000))\(build.stderr)")
            let freshness = try SqltProcess.run(["source", "freshness"] + base)
            #expect(freshness.exitCode == 0, "\(freshness.stdout)\(freshness.stderr)")
            #expect(try SqltProcess.run(["docs", "generate"] + base).exitCode == 0)
            let target = project.appendingPathComponent("target")
            #expect(try Self.schemaErrors(target.appendingPathComponent("manifest.json"), schema: "manifest-v12") == "")
            #expect(
                try Self.schemaErrors(target.appendingPathComponent("run_results.json"), schema: "run-results-v6") == ""
            )
            #expect(try Self.schemaErrors(target.appendingPathComponent("catalog.json"), schema: "catalog-v1") == "")
            #expect(try Self.schemaErrors(target.appendingPathComponent("sources.json"), schema: "sources-v3") == "")
        }
    }
}
