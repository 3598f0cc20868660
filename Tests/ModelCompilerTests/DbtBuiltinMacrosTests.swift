import Foundation
import Testing

@testable import ModelCompiler

/// dbt's built-in macros as sqlt writes them, and `adapter.dispatch` finding a project's own
/// `postgres__`/`default__` implementations before them; no database.
@Suite struct DbtBuiltinMacrosTests {
    func compile(_ files: [String: String]) throws -> CompiledProject {
        var all = files
        if all["dbt_project.yml"] == nil { all["dbt_project.yml"] = "name: shop\n" }
        // The models print macro output alone, not whole statements: no SQL check.
        var options = CompileOptions(target: TargetInfo(schema: "analytics"), environment: [:])
        options.checkSQL = false
        return try ProjectLoader.compile(fs: InMemoryFileSystem(all), options: options)
    }

    func sql(_ model: String, macros: String? = nil, project: String? = nil) throws -> String {
        var files = ["models/m.sql": model]
        if let macros { files["macros/own.sql"] = macros }
        if let project { files["dbt_project.yml"] = project }
        let compiled = try compile(files)
        return try #require(compiled.manifest.nodes["model.shop.m"]?.compiledCode)
    }

    /// Failing compile's messages, joined.
    func errors(_ model: String, macros: String? = nil, project: String? = nil) -> String {
        do {
            _ = try sql(model, macros: macros, project: project)
            return ""
        } catch let error as DiagnosticsError {
            return error.diagnostics.map {
                "\($0.location.map { "\($0.file):\($0.line):\($0.column)" } ?? ""): \($0.message)"
            }
            .joined(separator: "\n")
        } catch {
            return "\(error)"
        }
    }

    @Test func everyBuiltinFileParsesAndTheDocumentedMacrosExist() {
        let documented = [
            "type_string", "type_timestamp", "type_float", "type_numeric", "type_int", "type_bigint", "type_boolean",
            "dateadd", "datediff", "date_trunc", "last_day", "safe_cast", "cast", "concat", "hash", "split_part",
            "listagg", "any_value", "bool_or", "cast_bool_to_text", "escape_single_quotes", "string_literal", "except",
            "intersect", "length", "position", "replace", "right", "array_construct", "array_append", "array_concat",
            "date", "current_timestamp", "current_timestamp_backcompat", "current_timestamp_in_utc_backcompat",
            "equals", "generate_series", "get_powers_of_two", "get_intervals_between", "date_spine",
            "generate_schema_name", "generate_alias_name", "generate_database_name", "generate_schema_name_for_env",
            "get_columns_in_query", "create_table_as", "get_create_table_as_sql", "get_create_view_as_sql",
            "create_view_as", "get_empty_subquery_sql", "get_where_subquery", "should_full_refresh",
            "snapshot_get_time",
        ]
        let names = Set(DbtBuiltinMacros.names)
        #expect(documented.filter { !names.contains($0) } == [])
        // every file under dbt_macros/ contributed
        let files = EmbeddedResources.files.keys.filter { $0.hasPrefix("dbt_macros/") }
        #expect(files.count >= 7)
    }

    @Test func crossDatabaseMacrosRenderPostgresSQL() throws {
        let out = try sql(
            """
            {{ dbt.type_string() }}|{{ type_numeric() }}|{{ dbt.type_int() }}|{{ type_timestamp() }}
            {{ dbt.dateadd('day', 3, "'2024-01-31'::date") }}
            {{ dbt.date_trunc('month', 'created_at') }}
            {{ dbt.concat(["'a'", 'b']) }}|{{ dbt.hash('x') }}|{{ dbt.any_value('x') }}
            {{ dbt.split_part('s', "','", -1) }}
            {{ dbt.listagg('name', "', '", 'order by name', 2) }}
            {{ dbt.string_literal("it") }}|{{ dbt.escape_single_quotes("it's") }}|{{ dbt.except() }}|{{ dbt.intersect() }}
            {{ dbt.array_construct([]) }}|{{ dbt.array_construct(['1', '2']) }}|{{ dbt.date(2024, 2, 9) }}
            """)
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "TEXT|numeric(28,6)|integer|timestamp")
        #expect(lines[1] == "'2024-01-31'::date + ((interval '1 day') * (3))")
        #expect(lines[2] == "date_trunc('month', created_at)")
        #expect(lines[3] == "'a' || b|md5(cast(x as TEXT))|min(x)")
        #expect(lines[4] == "split_part(s, ',', length(s) - length(replace(s, ',', '')) + 2 + -1)")
        #expect(lines[5].hasPrefix("array_to_string((array_agg(name order by name))[1:2], ', ')"))
        #expect(lines.contains("'it'|it''s|except|intersect"))
        #expect(lines.contains("array[]::integer[]|array[ 1 , 2 ]|to_date('2024-02-09', 'YYYY-MM-DD')"))
    }

    @Test func aProjectMacroOverridesABuiltinThroughDispatch() throws {
        let out = try sql(
            "{{ dbt.hash('x') }}|{{ hash('y') }}|{{ dbt.type_string() }}",
            macros: """
                {% macro postgres__hash(field) %}sha({{ field }}){% endmacro %}
                {% macro default__type_string() %}{{ return('varchar') }}{% endmacro %}
                """)
        #expect(out == "sha(x)|sha(y)|varchar")
    }

    @Test func aProjectMacroOfTheSameNameWinsOverTheBuiltin() throws {
        let out = try sql(
            "{{ concat(['a']) }}|{{ dbt.concat(['a']) }}",
            macros: "{% macro concat(fields) %}mine{% endmacro %}")
        #expect(out == "mine|a")
    }

    @Test func dispatchWithoutNamespaceFindsTheProjectsImplementations() throws {
        let out = try sql(
            "{{ cents('amount') }}",
            macros: """
                {% macro cents(column) %}{{ return(adapter.dispatch('cents')(column)) }}{% endmacro %}
                {% macro default__cents(column) %}({{ column }} / 100){% endmacro %}
                {% macro postgres__cents(column) %}({{ column }} / 100)::numeric(16, 2){% endmacro %}
                """)
        #expect(out == "(amount / 100)::numeric(16, 2)")
    }

    @Test func dispatchListsWhatItSearched() {
        let message = errors("{{ adapter.dispatch('nothing_here', 'dbt')() }}")
        #expect(message.contains("models/m.sql:1:"))
        #expect(message.contains("no macro named 'nothing_here' found within namespace: 'dbt'"))
        #expect(message.contains("'postgres__nothing_here', 'default__nothing_here'"))
    }

    @Test func dispatchRejectsADottedName() {
        #expect(
            errors("{{ adapter.dispatch('dbt_utils.star')() }}").contains(
                "use adapter.dispatch('star', macro_namespace='dbt_utils')"))
    }

    @Test func dispatchSettingOrdersThePackagesSearched() throws {
        // The project is searched by its name; `dbt` is the built-in set.
        let project = """
            name: shop
            dispatch:
              - macro_namespace: dbt
                search_order: [dbt, shop]
            """
        let macros = "{% macro default__hash(field) %}mine{% endmacro %}"
        #expect(try sql("{{ dbt.hash('x') }}", macros: macros, project: project) == "md5(cast(x as TEXT))")
        let projectFirst = project.replacingOccurrences(of: "[dbt, shop]", with: "[shop, dbt]")
        #expect(try sql("{{ dbt.hash('x') }}", macros: macros, project: projectFirst) == "mine")
    }

    @Test func dispatchSettingMustBeWellFormed() {
        let message = errors("select 1", project: "name: shop\ndispatch:\n  - macro_namespace: dbt\n")
        #expect(message.contains("dbt_project.yml:3:"))
        #expect(message.contains("needs a 'search_order' list"))
    }

    @Test func dispatchSearchesAnInstalledPackageAfterTheRootProject() throws {
        // `pkg` registered as a namespace, as installed packages are: root first, then the package.
        var library = MacroLibrary()
        library.rootPackage = "shop"
        library.add(
            try Template.parse(
                """
                {% macro greet() %}{{ return(adapter.dispatch('greet', 'pkg')()) }}{% endmacro %}
                {% macro default__greet() %}package{% endmacro %}
                """, file: "dbt_packages/pkg/macros/greet.sql"), namespace: "pkg")
        let globals = CompiledProject.baseGlobals(
            projectName: "shop", vars: [:],
            options: CompileOptions(target: TargetInfo(schema: "analytics"), environment: [:]),
            adapter: nil)
        func render(_ text: String, _ library: MacroLibrary) throws -> String {
            try Template.parse(text, file: "models/m.sql").render(
                RenderContext(sharedGlobals: globals, macros: library))
        }
        #expect(try render("{{ pkg.greet() }}", library) == "package")
        var overridden = library
        overridden.add(try Template.parse("{% macro default__greet() %}root{% endmacro %}", file: "macros/greet.sql"))
        #expect(try render("{{ pkg.greet() }}", overridden) == "root")
    }

    @Test func namingMacrosFollowDbtsDefaults() throws {
        let out = try sql(
            """
            {{ generate_schema_name(none) }}|{{ generate_schema_name(' marts ') }}|{{ dbt.generate_database_name(none) }}|{{ generate_alias_name(none, model) }}|{{ generate_alias_name('x ', model) }}
            """)
        // the database is the target's (TargetInfo's default dbname)
        #expect(out == "analytics|analytics_marts|\(TargetInfo(schema: "analytics").dbname)|m|x")
    }

    @Test func aProjectsGenerateSchemaNameMayCallTheDefault() throws {
        let compiled = try compile([
            "models/m.sql": "{{ config(schema='marts') }}select 1",
            "macros/naming.sql": """
            {% macro generate_schema_name(custom_schema_name, node) -%}
                {%- if node.name == 'm' -%}custom_{{ custom_schema_name }}{%- else -%}{{ default__generate_schema_name(custom_schema_name, node) }}{%- endif -%}
            {%- endmacro %}
            """,
            "models/n.sql": "{{ config(schema='marts') }}select 2",
        ])
        #expect(compiled.manifest.nodes["model.shop.m"]?.schema == "custom_marts")
        #expect(compiled.manifest.nodes["model.shop.n"]?.schema == "analytics_marts")
    }

    @Test func datediffUnsupportedPartIsACompileError() {
        #expect(
            errors("{{ dbt.datediff('a', 'b', 'fortnight') }}").contains("datediff: unsupported datepart 'fortnight'"))
    }
}
