import Testing

@testable import ModelCompiler

/// `env_var('DBT_ENV_SECRET_*')` outside profiles.yml and packages.yml is refused, as dbt does,
/// before its value can reach compiled SQL or any artifact.
@Suite struct SecretEnvVarTests {
    static let secretValue = "s3cr3t-Value-42"

    static func compile(_ files: [String: String]) -> Result<CompiledProject, DiagnosticsError> {
        var all = ["sqlt_project.yml": "name: shop\nprofile: shop\n"]
        all.merge(files) { $1 }
        do {
            return .success(
                try ProjectLoader.compile(
                    fs: InMemoryFileSystem(all),
                    options: CompileOptions(
                        target: TargetInfo(schema: "analytics"),
                        environment: ["DBT_ENV_SECRET_TOKEN": secretValue, "PLAIN": "ok"])))
        } catch {
            return .failure(error)
        }
    }

    @Test func aModelReadingASecretIsAnErrorAtTheCall() throws {
        // inside a branch that never renders: refused all the same, from the syntax tree
        let result = Self.compile([
            "models/m.sql": "select 1 as x\n{% if false %}{{ env_var('DBT_ENV_SECRET_TOKEN') }}{% endif %}"
        ])
        guard case .failure(let error) = result else { Issue.record("compiled"); return }
        let d = try #require(error.diagnostics.first { $0.id == "template.secret_env_var" }, "\(error.diagnostics)")
        #expect(d.message == "secret env var 'DBT_ENV_SECRET_TOKEN' is allowed only in profiles.yml and packages.yml")
        #expect(d.location?.file == "models/m.sql")
        #expect(d.location?.line == 2)
        #expect(d.location?.column == 18)
        #expect(!"\(error.diagnostics)".contains(Self.secretValue))
    }

    @Test func aSecretNameBuiltAtRenderTimeIsRefusedToo() throws {
        let result = Self.compile([
            "macros/read.sql": "{% macro read(suffix) %}{{ env_var('DBT_ENV_' ~ suffix) }}{% endmacro %}",
            "models/m.sql": "select '{{ read('SECRET_TOKEN') }}' as x",
        ])
        guard case .failure(let error) = result else { Issue.record("compiled"); return }
        #expect(
            error.diagnostics.contains { $0.message.contains("secret env var 'DBT_ENV_SECRET_TOKEN' is allowed only") },
            "\(error.diagnostics)")
        #expect(!"\(error.diagnostics)".contains(Self.secretValue))
    }

    @Test func ordinaryEnvVarsStillWork() throws {
        let project = try Self.compile(["models/m.sql": "select '{{ env_var('PLAIN') }}' as x"]).get()
        #expect(project.manifest.nodes["model.shop.m"]?.compiledCode?.contains("'ok'") == true)
    }

    @Test func scrubMasksEverySecretValue() {
        let secrets = SecretEnvVars.values(in: [
            "DBT_ENV_SECRET_A": "abc", "DBT_ENV_SECRET_B": "abcdef", "OTHER": "zzz",
        ])
        #expect(secrets == ["abcdef", "abc"])
        #expect(SecretEnvVars.scrub("x abcdef y abc zzz", secrets: secrets) == "x ***** y ***** zzz")
    }
}
