import Foundation
import ModelCompiler
import Testing

@testable import ModelRunner

/// Connection settings precedence and profiles.yml parsing: no database needed.
@Suite struct ConnectionResolverTests {
    static let profiles = """
        shop:
          target: dev
          outputs:
            dev:
              type: postgres
              host: "{{ env_var('SHOP_HOST', 'db.local') }}"
              port: "{{ env_var('SHOP_PORT', '6543') }}"
              user: analyst
              password: "{{ env_var('SHOP_PASSWORD') }}"
              dbname: warehouse
              schema: analytics
              threads: 8
            prod:
              type: postgres
              host: prod.local
              user: deployer
              pass: secret
              database: warehouse
              schema: prod
        """

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var databaseURL: String?
        var profilesDir: String?
        var environment: [String: String]
        var files: [String: String]
        var expectedOrigin: String
        var expectedHost: String?
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "flag wins over everything", databaseURL: "postgresql://u@flag.local/db",
             environment: ["SQLT_DATABASE_URL": "postgresql://u@env.local/db", "PGHOST": "pg.local", "SHOP_PASSWORD": "x"],
             files: ["/project/profiles.yml": profiles], expectedOrigin: "--database-url", expectedHost: "flag.local"),
        Case(name: "SQLT_DATABASE_URL before profiles", environment: ["SQLT_DATABASE_URL": "postgresql://u@env.local/db", "SHOP_PASSWORD": "x"],
             files: ["/project/profiles.yml": profiles], expectedOrigin: "SQLT_DATABASE_URL", expectedHost: "env.local"),
        Case(name: "--profiles-dir before the project folder", profilesDir: "/custom", environment: ["SHOP_PASSWORD": "x", "SHOP_HOST": "custom.local"],
             files: ["/custom/profiles.yml": profiles, "/project/profiles.yml": profiles.replacingOccurrences(of: "db.local", with: "other")],
             expectedOrigin: "profiles.yml at /custom/profiles.yml (profile shop, target dev)", expectedHost: "custom.local"),
        Case(name: "SQLT_PROFILES_DIR before the project folder", environment: ["SQLT_PROFILES_DIR": "/envdir", "SHOP_PASSWORD": "x"],
             files: ["/envdir/profiles.yml": profiles, "/project/profiles.yml": "shop: {target: dev, outputs: {dev: {type: postgres, host: nope}}}"],
             expectedOrigin: "profiles.yml at /envdir/profiles.yml (profile shop, target dev)", expectedHost: "db.local"),
        Case(name: "project folder before home", environment: ["SHOP_PASSWORD": "x"],
             files: ["/project/profiles.yml": profiles, "/home/me/.sqlt/profiles.yml": "shop: {target: dev, outputs: {dev: {type: postgres, host: home}}}"],
             expectedOrigin: "profiles.yml at /project/profiles.yml (profile shop, target dev)", expectedHost: "db.local"),
        Case(name: "home ~/.sqlt then ~/.dbt", environment: [:],
             files: ["/home/me/.dbt/profiles.yml": "shop: {target: dev, outputs: {dev: {type: postgres, host: dbt-home}}}"],
             expectedOrigin: "profiles.yml at /home/me/.dbt/profiles.yml (profile shop, target dev)", expectedHost: "dbt-home"),
        Case(name: "libpq environment", environment: ["PGHOST": "pg.local"], files: [:],
             expectedOrigin: "libpq environment (PGHOST, PGPORT, ...)", expectedHost: nil),
        Case(name: "nothing configured: embedded", environment: [:], files: [:], expectedOrigin: "embedded PostgreSQL", expectedHost: nil),
    ]

    @Test(arguments: cases) func precedence(_ c: Case) throws {
        let resolved = try ConnectionResolver.resolve(
            databaseURL: c.databaseURL, profilesDir: c.profilesDir, target: nil, profileName: "shop", projectDir: "/project",
            environment: c.environment, homeDir: "/home/me", readFile: { c.files[$0] })
        #expect(resolved.origin == c.expectedOrigin)
        #expect(resolved.settings?.host == c.expectedHost)
        if c.expectedOrigin == "embedded PostgreSQL" { #expect(resolved.settings == nil) }
    }

    @Test func profileValuesAndEnvVarDefaults() throws {
        let (settings, target) = try ProfilesFile.settings(
            text: Self.profiles, file: "profiles.yml", profile: "shop", target: nil, environment: ["SHOP_PASSWORD": "s3cret"])
        #expect(target == "dev")
        #expect(settings.host == "db.local")
        #expect(settings.port == 6543)
        #expect(settings.password == "s3cret")
        #expect(settings.schema == "analytics")
        #expect(settings.threads == 8)
        #expect(settings.maskedDescription == "postgresql://analyst:****@db.local:6543/warehouse?schema=analytics")
        let prod = try ProfilesFile.settings(text: Self.profiles, file: "profiles.yml", profile: "shop", target: "prod", environment: [:])
        #expect(prod.settings.password == "secret")
        #expect(prod.settings.dbname == "warehouse")
    }

    @Test func missingEnvVarWithoutDefaultIsAnError() throws {
        #expect {
            try ProfilesFile.settings(text: Self.profiles, file: "profiles.yml", profile: "shop", target: nil, environment: [:])
        } throws: { error in
            "\(error)".contains("SHOP_PASSWORD")
        }
    }

    @Test func unknownProfileNamesTheExistingOnes() throws {
        #expect {
            try ProfilesFile.settings(text: Self.profiles, file: "profiles.yml", profile: "shp", target: nil, environment: ["SHOP_PASSWORD": "x"])
        } throws: { error in
            let d = (error as? DiagnosticsError)?.diagnostics.first
            return d?.message == "no profile 'shp' in profiles.yml" && d?.hint == "profiles defined: shop"
        }
    }

    @Test func unknownTargetNamesTheExistingOnes() throws {
        #expect {
            try ProfilesFile.settings(text: Self.profiles, file: "profiles.yml", profile: "shop", target: "staging", environment: ["SHOP_PASSWORD": "x"])
        } throws: { error in
            let d = (error as? DiagnosticsError)?.diagnostics.first
            return d?.message == "profile 'shop' has no target 'staging'" && d?.hint == "targets defined: dev, prod" && d?.location?.line == 1
        }
    }

    @Test func urlsRoundTripWithSocketsAndMasking() throws {
        let settings = try ConnectionURL.parse("postgresql://me:p%40ss@/warehouse?host=/tmp/sock&schema=raw&sslmode=disable", origin: "test")
        #expect(settings.host == "/tmp/sock")
        #expect(settings.password == "p@ss")
        #expect(settings.schema == "raw")
        #expect(settings.maskedDescription.contains("****"))
        #expect(!settings.maskedDescription.contains("p@ss"))
        #expect(try ConnectionURL.parse(settings.url(), origin: "again") .host == "/tmp/sock")
        #expect(throws: ConnectionError.self) { try ConnectionURL.parse("mysql://x@y/z", origin: "test") }
    }
}
