import ModelCompiler
import ModelRunner
import Testing

@Suite("ConnectionResolver precedence")
struct ConnectionResolverTests {
    static func profiles(_ host: String) -> String {
        "shop:\n  target: dev\n  outputs:\n    dev: {type: postgres, host: \(host), dbname: d}\n    ci: {type: postgres, host: \(host)-ci, dbname: d}\n"
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var options: ConnectionOptions
        var environment: [String: String] = [:]
        var files: [String: String] = [:]
        /// The expected origin, or nil for the embedded server.
        var origin: String?
        var host: String?
        var target: String?
        var testDescription: String { name }
    }

    static let project = "/work/proj"
    static let allFiles = [
        "/flag/profiles.yml": profiles("flag"), "/envdir/profiles.yml": profiles("envdir"),
        "/work/proj/profiles.yml": profiles("project"), "/home/u/.sqlt/profiles.yml": profiles("sqlt-home"),
        "/home/u/.dbt/profiles.yml": profiles("dbt-home"),
    ]

    static let cases: [Case] = [
        Case(
            name: "--database-url beats everything",
            options: ConnectionOptions(
                databaseURL: "postgresql://u@urlhost/d", profilesDir: "/flag", profileName: "shop", projectDir: project),
            environment: ["SQLT_DATABASE_URL": "postgresql://u@envhost/d", "PGHOST": "pg"], files: allFiles,
            origin: "--database-url", host: "urlhost"),
        Case(
            name: "SQLT_DATABASE_URL beats profiles",
            options: ConnectionOptions(profilesDir: "/flag", profileName: "shop", projectDir: project),
            environment: ["SQLT_DATABASE_URL": "postgresql://u@envhost/d", "PGHOST": "pg"], files: allFiles,
            origin: "SQLT_DATABASE_URL", host: "envhost"),
        Case(
            name: "--profiles-dir first",
            options: ConnectionOptions(profilesDir: "/flag", profileName: "shop", projectDir: project),
            environment: ["SQLT_PROFILES_DIR": "/envdir", "PGHOST": "pg"], files: allFiles,
            origin: "profiles.yml at /flag/profiles.yml (profile shop, target dev)", host: "flag", target: "dev"),
        Case(
            name: "SQLT_PROFILES_DIR next", options: ConnectionOptions(profileName: "shop", projectDir: project),
            environment: ["SQLT_PROFILES_DIR": "/envdir"], files: allFiles,
            origin: "profiles.yml at /envdir/profiles.yml (profile shop, target dev)", host: "envdir", target: "dev"),
        Case(
            name: "project folder next",
            options: ConnectionOptions(target: "ci", profileName: "shop", projectDir: project),
            files: allFiles, origin: "profiles.yml at /work/proj/profiles.yml (profile shop, target ci)",
            host: "project-ci", target: "ci"),
        Case(
            name: "~/.sqlt next", options: ConnectionOptions(profileName: "shop", projectDir: project),
            files: allFiles.filter { $0.key.hasPrefix("/home") },
            origin: "profiles.yml at /home/u/.sqlt/profiles.yml (profile shop, target dev)", host: "sqlt-home",
            target: "dev"),
        Case(
            name: "~/.dbt last", options: ConnectionOptions(profileName: "shop", projectDir: project),
            files: allFiles.filter { $0.key.hasPrefix("/home/u/.dbt") },
            origin: "profiles.yml at /home/u/.dbt/profiles.yml (profile shop, target dev)", host: "dbt-home",
            target: "dev"),
        Case(
            name: "no profile named: profiles are not read", options: ConnectionOptions(projectDir: project),
            environment: ["PGHOST": "pghost", "PGUSER": "me"], files: allFiles,
            origin: "libpq environment (PGHOST, PGUSER)", host: "pghost"),
        Case(
            name: "libpq environment when no profiles.yml",
            options: ConnectionOptions(profileName: "shop", projectDir: project),
            environment: ["PGDATABASE": "x"], origin: "libpq environment (PGDATABASE)"),
        Case(
            name: "embedded when nothing is set", options: ConnectionOptions(profileName: "shop", projectDir: project),
            environment: ["HOME": "/home/u"], origin: nil),
    ]

    @Test(arguments: cases)
    func resolves(_ testCase: Case) throws {
        let files = testCase.files
        let resolver = ConnectionResolver(
            environment: testCase.environment, homeDir: "/home/u", readFile: { files[$0] })
        let resolution = try resolver.resolve(testCase.options)
        switch resolution.connection {
        case .embedded:
            #expect(testCase.origin == nil)
        case .settings(let settings):
            #expect(settings.origin == testCase.origin)
            if let host = testCase.host { #expect(settings.host == host) }
        }
        #expect(resolution.targetName == testCase.target)
    }

    @Test func explicitProfilesDirWithoutAFileIsAnError() {
        let resolver = ConnectionResolver(environment: [:], homeDir: "/home/u", readFile: { _ in nil })
        let error = #expect(throws: Diagnostic.self) {
            try resolver.resolve(ConnectionOptions(profilesDir: "/nowhere", profileName: "shop", projectDir: "/p"))
        }
        #expect(error?.message == "no profiles.yml in /nowhere")
    }

    @Test func relativeProfilesDirIsUnderTheProjectAndTildeIsHome() {
        let resolver = ConnectionResolver(
            environment: ["SQLT_PROFILES_DIR": "~/conf"], homeDir: "/home/u", readFile: { _ in nil })
        let folders = resolver.profilesFolders(ConnectionOptions(profilesDir: "config", projectDir: "/p")).map(\.folder)
        #expect(folders == ["/p/config", "/home/u/conf", "/p", "/home/u/.sqlt", "/home/u/.dbt"])
    }
}
