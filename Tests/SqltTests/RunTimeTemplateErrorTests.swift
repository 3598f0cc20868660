import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// A `run_query` value piped to `| int` at run time: it stopped every scheduled build mid-run
/// (the process trapped); now the model fails with the template location and the run goes on.
@Suite(.serialized) struct RunTimeTemplateErrorTests {
    @Test func aHugeRunQueryValueFailsTheModelNotTheProcess() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "sqlt-rq-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: folder) }
            let files = [
                "sqlt_project.yml": "name: shop\nprofile: shop\n",
                // at compile time run_query answers nothing; at run time it reads a 20-digit numeric
                "models/counted.sql": """
                {% set t = run_query("select 99999999999999999999::numeric as n") %}
                select {{ (t.columns[0].values()[0] if t else 0) | int }} as n
                """,
                "models/fine.sql": "select 1 as x",
            ]
            for (path, text) in files {
                let url = folder.appendingPathComponent(path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
            }
            let run = try SqltProcess.run(
                ["run", "--project-dir", folder.path, "--database-url", settings.url()], environment: ["NO_COLOR": "1"])
            let output = run.stdout + run.stderr
            #expect(run.exitCode == 1, "\(output)")
            #expect(output.contains("models/counted.sql:2:"), "\(output)")
            #expect(output.contains("does not fit in a 64-bit integer"), "\(output)")
            // the other model was built: the run went on
            #expect(try connection.execute("select x from \(qualifiedName(schema, "fine"))").scalar == "1")
        }
    }
}

/// A secret value that reaches a message anyway (here in the data of a failing model) is masked
/// on the console and in run_results.json.
@Suite(.serialized) struct SecretScrubbingTests {
    @Test func aSecretValueInADatabaseErrorIsMasked() async throws {
        try await TestDatabase.withSchema { _, _, settings in
            let secret = "tok-Zq81-secret"
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "sqlt-scrub-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: folder) }
            try FileManager.default.createDirectory(
                at: folder.appendingPathComponent("models"), withIntermediateDirectories: true)
            try "name: shop\nprofile: shop\n".write(
                to: folder.appendingPathComponent("sqlt_project.yml"), atomically: true, encoding: .utf8)
            // PostgreSQL's error quotes the bad input: invalid input syntax for type integer: "tok-..."
            try "select '\(secret)'::int as x".write(
                to: folder.appendingPathComponent("models/m.sql"), atomically: true, encoding: .utf8)
            let run = try SqltProcess.run(
                ["run", "--project-dir", folder.path, "--database-url", settings.url()],
                environment: ["NO_COLOR": "1", "DBT_ENV_SECRET_TOKEN": secret])
            let output = run.stdout + run.stderr
            #expect(run.exitCode == 1, "\(output)")
            #expect(output.contains("invalid input syntax for type integer"), "\(output)")
            #expect(!output.contains(secret), "\(output)")
            #expect(output.contains("*****"), "\(output)")
            let results = try String(
                contentsOf: folder.appendingPathComponent("target/run_results.json"), encoding: .utf8)
            #expect(!results.contains(secret))
            #expect(results.contains("*****"))
        }
    }
}
