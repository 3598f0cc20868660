import Foundation
import ModelRunner
import TestSupport
import Testing

@Suite("sqlt debug")
struct DebugCommandTests {
    /// Keeps the caller's own settings out of the resolution.
    static let cleanEnvironment: [String: String?] = [
        "SQLT_DATABASE_URL": nil, "SQLT_PROFILES_DIR": nil, "PGHOST": nil, "PGPORT": nil, "PGUSER": nil,
        "PGPASSWORD": nil, "PGDATABASE": nil, "PGSSLMODE": nil,
    ]

    @Test func printsTheServerVersionOfTheTestDatabase() async throws {
        try await TestDatabase.withSchema { _, _, settings in
            let folder = "/tmp/sqlt-debug-\(TestDatabase.randomSuffix())"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try "name: shop\nprofile: shop\n".write(
                toFile: folder + "/sqlt_project.yml", atomically: true, encoding: .utf8)
            let run = try runSqlt(["debug", "--database-url", settings.url()], cwd: folder, env: Self.cleanEnvironment)
            #expect(run.exitCode == 0, "stderr: \(run.stderr)")
            #expect(run.stdout.contains("project folder: \(folder)"))
            #expect(run.stdout.contains("from: --database-url"))
            #expect(run.stdout.contains("server version: 15."))
            #expect(run.stdout.contains("connection ok"))
        }
    }

    @Test func usesTheProjectProfile() async throws {
        try await TestDatabase.withSchema { _, schema, settings in
            let folder = "/tmp/sqlt-debug-\(TestDatabase.randomSuffix())"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try "name: shop\nprofile: shop\n".write(
                toFile: folder + "/dbt_project.yml", atomically: true, encoding: .utf8)
            let profiles = """
                shop:
                  target: dev
                  outputs:
                    dev:
                      type: postgres
                      host: "\(settings.host ?? "")"
                      port: \(settings.port ?? 5432)
                      user: "{{ env_var('TEST_PG_USER') }}"
                      password: "\(settings.password ?? "")"
                      dbname: "\(settings.dbname ?? "")"
                      schema: \(schema)
                """
            try profiles.write(toFile: folder + "/profiles.yml", atomically: true, encoding: .utf8)
            var environment = Self.cleanEnvironment
            environment["TEST_PG_USER"] = settings.user ?? ""
            let run = try runSqlt(["debug", "--project-dir", folder], env: environment)
            #expect(run.exitCode == 0, "stderr: \(run.stderr)")
            #expect(run.stdout.contains("profile: shop"))
            #expect(run.stdout.contains("target: dev"))
            #expect(run.stdout.contains("from: profiles.yml at \(folder)/profiles.yml (profile shop, target dev)"))
            #expect(run.stdout.contains("schema: \(schema)"))
            #expect(run.stdout.contains("server version: 15."))
        }
    }

    @Test func badURLFailsWithAClearMessage() throws {
        let run = try runSqlt(
            ["debug", "--database-url", "postgresql://nobody:hunter2@/nodb?host=/tmp/sqlt-no-such-folder&port=5999"],
            cwd: "/tmp", env: Self.cleanEnvironment)
        #expect(run.exitCode == 1)
        #expect(
            run.stderr.contains(
                "could not connect to PostgreSQL at socket folder /tmp/sqlt-no-such-folder, port 5999, user nobody, database nodb"
            ))
        #expect(!run.stderr.contains("hunter2"))
        #expect(!run.stdout.contains("hunter2"))
    }

    @Test func malformedURLIsRejected() throws {
        let run = try runSqlt(["debug", "--database-url", "mysql://x@y/z"], cwd: "/tmp", env: Self.cleanEnvironment)
        #expect(run.exitCode == 1)
        #expect(run.stderr.contains("must start with postgresql://"))
    }
}
