import Foundation
import ModelRunner
import TestSupport
import Testing

/// A secret value (a `DBT_ENV_SECRET_*` value, the profile's password) written literally in a
/// model, a hook and a description is masked in every file sqlt writes and every lineage event it
/// posts: the manifest, compiled and run SQL, run_results, the catalog, the docs page, the log
/// file, lineage.json, the OpenLineage events file and POSTs. The database still gets the real
/// value: only what sqlt writes about the run is scrubbed.
@Suite(.serialized) struct SecretArtifactsTests {
    static let secret = "tok-Zq81/\"s3cret\""
    static let password = "pw-Lx90-hunter2"

    static func files(schema: String) -> [String: String] {
        [
            "dbt_project.yml": """
            name: shop
            profile: shop
            on-run-start: ["create table if not exists {{ target.schema }}.audit as select '\(password)' as note"]
            models:
              shop:
                +materialized: table
            """,
            "seeds/people.csv": "id,city\n1,Lyon\n",
            "models/leaky.sql": """
            select id, $$\(secret)$$ as token, '\(password)' as note from {{ ref('people') }}
            """,
            "models/downstream.sql": "select id, token from {{ ref('leaky') }}",
            "models/schema.yml": """
            version: 2
            models:
              - name: leaky
                description: 'the token is \(secret.replacingOccurrences(of: "'", with: "''"))'
                columns:
                  - name: id
                    data_tests: [not_null]
            """,
        ]
    }

    /// Every regular file under `folder`, with its text.
    static func texts(under folder: URL) -> [(path: String, text: String)] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        return walker.compactMap { item in
            guard let url = item as? URL,
                (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
                let data = FileManager.default.contents(atPath: url.path)
            else { return nil }
            return (
                url.path.replacingOccurrences(of: folder.path + "/", with: ""), String(decoding: data, as: UTF8.self)
            )
        }
    }

    /// The forms a value takes in the files: as is, and escaped in a JSON string.
    static func leaks(_ text: String) -> [String] {
        [
            secret, password, secret.replacingOccurrences(of: "\"", with: "\\\""),
            secret.replacingOccurrences(of: "/", with: "\\/").replacingOccurrences(of: "\"", with: "\\\""),
        ]
        .filter { text.contains($0) }
    }

    @Test func aSecretIsMaskedInEveryArtifactAndLineageEvent() async throws {
        try await TestDatabase.withSchema { connection, schema, settings in
            let folder = try TemporaryProject.write(Self.files(schema: schema), prefix: "secrets")
            defer { try? FileManager.default.removeItem(at: folder) }
            let listener = try LineageListener()
            defer { listener.stop() }
            var withPassword = settings
            withPassword.password = Self.password
            let base = ["--project-dir", folder.path, "--database-url", withPassword.url()]
            let environment = [
                "NO_COLOR": "1", "DBT_ENV_SECRET_TOKEN": Self.secret, "DBT_ENV_SECRET_FLAG": "1",
                "OPENLINEAGE_URL": "http://127.0.0.1:\(listener.port)",
            ]
            var output = ""
            for command in [["build"], ["docs", "generate"], ["lineage", "leaky"], ["compile"]] {
                let result = try SqltProcess.run(command + base, environment: environment)
                #expect(result.exitCode == 0, "\(command): \(result.stdout)\(result.stderr)")
                output += result.stdout + result.stderr
            }
            #expect(Self.leaks(output).isEmpty, "console: \(output)")
            // The one-character secret `1` is not masked on the console either.
            let finished = output.split(separator: "\n").filter { $0.contains("Finished running") }
            #expect(
                !finished.isEmpty && finished.allSatisfy { $0.contains("1 seed") && !$0.contains("*****") },
                "\(finished)")
            // The database got the real values.
            #expect(try connection.execute("select token from \(schema).downstream").scalar == Self.secret)
            #expect(try connection.execute("select note from \(schema).audit").scalar == Self.password)

            let written =
                Self.texts(under: folder.appendingPathComponent("target"))
                + Self.texts(under: folder.appendingPathComponent("logs"))
            for expected in [
                "target/manifest.json", "target/run_results.json", "target/catalog.json", "target/docs/index.html",
                "target/compiled/shop/models/leaky.sql", "target/run/shop/models/leaky.sql",
                "target/lineage/events.jsonl", "target/lineage.json", "logs/sqlt.log",
            ] {
                #expect(
                    FileManager.default.fileExists(atPath: folder.appendingPathComponent(expected).path),
                    "\(expected) was not written")
            }
            for file in written {
                #expect(Self.leaks(file.text).isEmpty, "\(file.path) holds \(Self.leaks(file.text))")
            }
            let manifest = try String(
                contentsOf: folder.appendingPathComponent("target/manifest.json"), encoding: .utf8)
            #expect(manifest.contains("the token is *****"), "masked, not dropped")
            // A one-character secret is not masked in files: it would break every JSON artifact.
            for json in ["manifest.json", "run_results.json", "catalog.json"] {
                let data = try Data(contentsOf: folder.appendingPathComponent("target/\(json)"))
                #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "\(json) is not valid JSON")
            }
            let run = try String(
                contentsOf: folder.appendingPathComponent("target/run/shop/models/leaky.sql"), encoding: .utf8)
            #expect(run.contains("$$*****$$ as token, '*****' as note"), "\(run)")

            let posted = listener.requests
            #expect(!posted.isEmpty, "no lineage event was posted")
            for request in posted {
                let body = String(decoding: request.body, as: UTF8.self)
                #expect(Self.leaks(body).isEmpty, "a lineage event holds \(Self.leaks(body))")
            }
            #expect(
                posted.contains { String(decoding: $0.body, as: UTF8.self).contains("*****") },
                "the SQL facets carry the masked SQL")
        }
    }
}
