import ModelCompiler
import ModelRunner
import Testing

@Suite("ProfilesFile")
struct ProfilesFileTests {
    static let text = """
        jaffle:
          target: "{{ env_var('JAFFLE_TARGET', 'dev') }}"
          outputs:
            dev:
              type: postgres
              host: localhost
              port: "{{ env_var('PG_PORT', '5433') | int }}"
              user: "{{ env_var('PG_USER') }}"
              pass: "{{ env_var('PG_PASSWORD', '') }}"
              database: analytics
              schema: dbt_dev
              threads: 4
              sslmode: disable
              connect_timeout: 7
              keepalives_idle: 30
            prod:
              type: postgres
              host: prod.example.com
              user: loader
              password: "{{ env_var('PROD_PASSWORD') }}"
              dbname: warehouse
              schema: analytics
            lake:
              type: snowflake
              account: x
        other:
          outputs:
            only: {type: postgres, dbname: o}
        """

    @Test func readsTheDefaultTargetWithEnvVars() throws {
        let file = try ProfilesFile(text: Self.text, path: "/p/profiles.yml")
        let (settings, target) = try file.settings(profile: "jaffle", target: nil, environment: ["PG_USER": "carol"])
        #expect(target == "dev")
        #expect(
            settings
                == ConnectionSettings(
                    host: "localhost", port: 5433, user: "carol", password: nil, dbname: "analytics", schema: "dbt_dev",
                    threads: 4,
                    sslmode: "disable", connectTimeout: 7, keepalivesIdle: 30,
                    origin: "profiles.yml at /p/profiles.yml (profile jaffle, target dev)"))
    }

    @Test func environmentOverridesDefaults() throws {
        let file = try ProfilesFile(text: Self.text, path: "/p/profiles.yml")
        let environment = ["PG_USER": "carol", "PG_PORT": "6543", "JAFFLE_TARGET": "prod", "PROD_PASSWORD": "pw"]
        let (settings, target) = try file.settings(profile: "jaffle", target: nil, environment: environment)
        #expect(target == "prod")
        #expect(settings.host == "prod.example.com")
        #expect(settings.password == "pw")
        #expect(settings.dbname == "warehouse")
        let (dev, _) = try file.settings(profile: "jaffle", target: "dev", environment: environment)
        #expect(dev.port == 6543)
    }

    @Test func missingEnvVarWithoutDefaultNamesIt() throws {
        let file = try ProfilesFile(text: Self.text, path: "/p/profiles.yml")
        let error = try #require(throws: Diagnostic.self) {
            try file.settings(profile: "jaffle", target: "dev", environment: [:])
        }
        #expect(error.message.contains("'PG_USER'"))
        #expect(error.location == SourceLocation(file: "/p/profiles.yml", line: 8, column: 13))
    }

    @Test func negativeThreadsAreAnErrorAtTheValue() throws {
        let text = """
            shop:
              target: dev
              outputs:
                dev:
                  type: postgres
                  host: localhost
                  threads: -4
            """
        let file = try ProfilesFile(text: text, path: "/p/profiles.yml")
        let error = try #require(throws: Diagnostic.self) {
            try file.settings(profile: "shop", target: nil, environment: [:])
        }
        #expect(error.message == "threads must be at least 1, not -4")
        #expect(error.location == SourceLocation(file: "/p/profiles.yml", line: 7, column: 16))
    }

    @Test func unknownProfileNamesTheProfilesThatExist() throws {
        let file = try ProfilesFile(text: Self.text, path: "/p/profiles.yml")
        let error = try #require(throws: Diagnostic.self) {
            try file.settings(profile: "nope", target: nil, environment: [:])
        }
        #expect(error.message == "profile 'nope' is not in /p/profiles.yml (profiles defined: jaffle, other)")
    }

    @Test func unknownTargetNamesTheTargetsThatExist() throws {
        let file = try ProfilesFile(text: Self.text, path: "/p/profiles.yml")
        let error = try #require(throws: Diagnostic.self) {
            try file.settings(profile: "jaffle", target: "qa", environment: [:])
        }
        #expect(error.message == "target 'qa' is not an output of profile 'jaffle' (targets defined: dev, lake, prod)")
    }

    @Test func otherAdapterTypesAreRefused() throws {
        let file = try ProfilesFile(text: Self.text, path: "/p/profiles.yml")
        let error = try #require(throws: Diagnostic.self) {
            try file.settings(profile: "jaffle", target: "lake", environment: [:])
        }
        #expect(error.message.contains("type 'snowflake'"))
        #expect(error.location?.line == 24)
    }

    @Test func profileWithoutTargetNeedsOne() throws {
        let file = try ProfilesFile(text: Self.text, path: "/p/profiles.yml")
        #expect(throws: Diagnostic.self) { try file.settings(profile: "other", target: nil, environment: [:]) }
        #expect(try file.settings(profile: "other", target: "only", environment: [:]).settings.dbname == "o")
    }

    @Test func invalidYAMLHasALocation() {
        let error = #expect(throws: Diagnostic.self) {
            try ProfilesFile(text: "a:\n  b: [1, 2\n", path: "/p/profiles.yml")
        }
        #expect(error?.location?.file == "/p/profiles.yml")
    }

    @Test func invalidYAMLNamesLibyamlsProblemAndMark() {
        let error = #expect(throws: Diagnostic.self) { try ProfilesFile(text: "a:\n  b: [1, 2\n", path: "f") }
        #expect(error?.id == "profiles.yaml")
        #expect(error?.message == "invalid YAML: did not find expected ',' or ']'")
        #expect(error?.location == SourceLocation(file: "f", line: 3, column: 1))
    }

    @Test func duplicateKeyIsAnErrorAtTheKey() {
        let error = #expect(throws: Diagnostic.self) {
            try ProfilesFile(text: "p:\n  target: d\n  target: e\n", path: "f")
        }
        #expect(error?.id == "profiles.yaml")
        #expect(error?.message == "invalid YAML: duplicate key 'target' in mapping")
        #expect(error?.location == SourceLocation(file: "f", line: 2, column: 3))
    }

    @Test func emptyFileIsNotAMappingOfProfiles() {
        let error = #expect(throws: Diagnostic.self) { try ProfilesFile(text: "# nothing yet\n", path: "f") }
        #expect(error?.id == "profiles.shape")
    }

    @Test func valuesAreKeptAsWritten() throws {
        let file = try ProfilesFile(
            text:
                "p:\n  target: d\n  outputs:\n    d:\n      type: postgres\n      password: 0123\n      user: yes\n      port: 0x10\n",
            path: "f")
        let error = try #require(throws: Diagnostic.self) {
            try file.settings(profile: "p", target: nil, environment: [:])
        }
        #expect(error.message == "port must be a whole number, not '0x10'")
        let fixed = try ProfilesFile(
            text: "p:\n  target: d\n  outputs:\n    d:\n      type: postgres\n      password: 0123\n      user: yes\n",
            path: "f")
        let settings = try fixed.settings(profile: "p", target: nil, environment: [:]).settings
        #expect(settings.password == "0123")
        #expect(settings.user == "yes")
    }

    @Test func outputsCanShareSettingsWithAMergeKey() throws {
        let file = try ProfilesFile(
            text: """
                p:
                  target: dev
                  outputs:
                    dev: &base
                      type: postgres
                      host: db
                      dbname: dev_db
                    prod:
                      <<: *base
                      dbname: prod_db
                """, path: "f")
        let prod = try file.settings(profile: "p", target: "prod", environment: [:]).settings
        #expect(prod.host == "db")
        #expect(prod.dbname == "prod_db")
    }

    @Test func badNumberIsAnError() throws {
        let file = try ProfilesFile(
            text: "p:\n  target: d\n  outputs:\n    d:\n      type: postgres\n      port: abc\n", path: "f")
        let error = try #require(throws: Diagnostic.self) {
            try file.settings(profile: "p", target: nil, environment: [:])
        }
        #expect(error.message == "port must be a whole number, not 'abc'")
        #expect(error.location == SourceLocation(file: "f", line: 6, column: 13))
    }
}
