import Foundation
import Testing

@testable import ModelCompiler

/// dbt's context members that package code touches, rendered at parse time (`execute` false, no
/// connection). Expected values are Python's / dbt's own results for the same calls.
@Suite struct ContextObjectTests {
    @Test(arguments: [
        // Relations
        ("{{ api.Relation.create(schema='s', identifier='t') }}", "\"s\".\"t\""),
        ("{{ api.Relation.create(database='other', schema='s', identifier='t') }}", "\"other\".\"s\".\"t\""),
        (
            "{{ api.Relation.create(database='other', schema='s', identifier='t').include(database=false) }}",
            "\"s\".\"t\""
        ),
        ("{{ api.Relation.create(schema='s', identifier='t').include(schema=false) }}", "\"t\""),
        ("{{ api.Relation.create(schema='s', identifier='t', type='view').is_view }}", "True"),
        ("{{ this.is_view }} {{ this.is_table }} {{ this.type }}", "True False view"),
        ("{{ this.incorporate(type='table').is_table }}", "True"),
        ("{{ this.incorporate(path={'identifier': 'other'}) }}", "\"analytics\".\"other\""),
        (
            "{{ this.render() }}|{{ this.name }}|{{ this.schema }}|{{ this.database }}",
            "\"analytics\".\"m\"|m|analytics|warehouse"
        ),
        ("{{ this.quote(identifier=false) }}", "\"analytics\".m"),
        ("{{ api.Relation.add_ephemeral_prefix('x') }}", "__dbt__cte__x"),
        // Columns
        (
            "{% set c = api.Column.create('n', 'character varying') %}{{ c.is_string() }} {{ c.is_number() }} {{ c.data_type }} {{ c.quoted }}",
            "True False character varying \"n\""
        ),
        (
            "{% set c = api.Column('n', 'character varying', 30) %}{{ c.data_type }} {{ c.string_size() }}",
            "character varying(30) 30"
        ),
        (
            "{% set c = api.Column('x', 'numeric', none, 10, 2) %}{{ c.data_type }} {{ c.is_numeric() }} {{ c.is_number() }} {{ c.is_float() }}",
            "numeric(10,2) True True False"
        ),
        (
            "{% set c = api.Column.create('x', 'double precision') %}{{ c.is_float() }} {{ c.is_integer() }} {{ c.dtype }}",
            "True False double precision"
        ),
        ("{% set c = api.Column.create('x', 'bigint') %}{{ c.is_integer() }} {{ c.literal('1') }}", "True 1::bigint"),
        ("{{ api.Column.translate_type('string') }}", "TEXT"),
        // Python modules
        ("{{ modules.re.sub('[aeiou]', '_', 'banana') }}", "b_n_n_"),
        ("{{ modules.re.sub('(\\\\w+)@(\\\\w+)', '\\\\2 at \\\\1', 'me@home') }}", "home at me"),
        ("{{ modules.re.match('ab', 'xab') is none }} {{ modules.re.search('ab', 'xab').group(0) }}", "True ab"),
        ("{{ modules.re.findall('\\\\d+', 'a1b22c333') }}", "['1', '22', '333']"),
        ("{{ modules.re.compile('^A', modules.re.IGNORECASE).match('abc') is not none }}", "True"),
        ("{{ modules.re.split(',\\\\s*', 'a, b,c') }}", "['a', 'b', 'c']"),
        ("{{ modules.itertools.product([1, 2], ['a']) | list }}", "[(1, 'a'), (2, 'a')]"),
        ("{{ modules.itertools.combinations([1, 2, 3], 2) | list }}", "[(1, 2), (1, 3), (2, 3)]"),
        ("{{ modules.itertools.chain([1], [2, 3]) | list }}", "[1, 2, 3]"),
        // modules.datetime / modules.pytz (Python's own output for the same expressions)
        ("{{ modules.datetime.date(1997, 9, 29) }}", "1997-09-29"),
        ("{{ modules.datetime.datetime(1997, 9, 29, 6, 14, 0) }}", "1997-09-29 06:14:00"),
        (
            "{{ modules.datetime.datetime(2020, 1, 1, tzinfo=modules.pytz.timezone('UTC')) }}",
            "2020-01-01 00:00:00+00:00"
        ),
        ("{{ modules.datetime.date(2020, 3, 1) - modules.datetime.timedelta(days=1) }}", "2020-02-29"),
        (
            "{{ modules.datetime.datetime(2020, 1, 1, 12).replace(hour=0, minute=30) + modules.datetime.timedelta(hours=25) }}",
            "2020-01-02 01:30:00"
        ),
        ("{{ (modules.datetime.date(2020, 1, 11) - modules.datetime.date(2020, 1, 1)).days }}", "10"),
        ("{{ modules.datetime.timedelta(days=2, hours=3) }}", "2 days, 3:00:00"),
        (
            "{{ modules.datetime.datetime(1997, 9, 29, 6, 14).strftime('%Y/%m/%d %H:%M') }} {{ modules.datetime.date(1997, 9, 29).weekday() }}",
            "1997/09/29 06:14 0"
        ),
        ("{{ modules.datetime.datetime(1997, 9, 29, 6, 14, 5, 250).isoformat() }}", "1997-09-29T06:14:05.000250"),
        (
            "{{ modules.datetime.datetime.today().year > 2000 }} {{ modules.datetime.date.today().year > 2000 }}",
            "True True"
        ),
        // Data helpers
        ("{{ local_md5('abc') }}", "900150983cd24fb0d6963f7d28e17f72"),
        ("{{ local_md5('') }}", "d41d8cd98f00b204e9800998ecf8427e"),
        ("{{ fromyaml('a: 1\\nb: [x, y]')['b'][1] }}", "y"),
        (
            "{{ fromyaml(toyaml({'k': ['x', 'yes', 1], 'n': {'m': none}})) == {'k': ['x', 'yes', 1], 'n': {'m': none}} }}",
            "True"
        ),
        ("{{ toyaml({'b': 1, 'a': 'text'}) }}", "a: text\nb: 1"),
        ("{{ set([3, 1, 3, 2]) | sort }}", "[1, 2, 3]"),
        ("{{ set_strict([1, 1]) | length }}", "1"),
        ("{{ zip([1, 2], ['a', 'b']) | list }}", "[(1, 'a'), (2, 'b')]"),
        ("{% set ns = namespace(n=0) %}{% for i in [1, 2] %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}", "3"),
        ("{{ fromjson('{\"a\": [1, 2]}')['a'][1] }} {{ tojson({'a': 1}) }}", "2 {\"a\":1}"),
        // Parse time: no connection, nothing runs
        (
            "{{ execute }} {{ run_query('select 1') is none }} {{ adapter.get_relation(database=none, schema='s', identifier='t') is none }}",
            "False True True"
        ),
        ("{% call statement('q', fetch_result=True) %}select 1{% endcall %}{{ load_result('q') is none }}", "True"),
        (
            "{{ adapter.get_columns_in_relation(this) | length }} {{ adapter.type() }} {{ adapter.quote('a\"b') }}",
            "0 postgres \"a\"\"b\""
        ),
        ("{{ builtins.ref('m2') }}", "\"analytics\".\"m2\""),
        ("{{ graph.nodes['model.shop.m2'].name }} {{ graph.nodes | length }}", "m2 2"),
        ("{{ invocation_args_dict.which }} {{ flags.WHICH }}", "run run"),
    ])
    func member(template: String, expected: String) throws {
        // `m2` exists so that `ref('m2')` and `graph` have a second node.
        let files = [
            "dbt_project.yml": "name: shop\nprofile: shop\n",
            "models/m.sql": "-- depends_on: {{ ref('m2') }}\n" + template,
            "models/m2.sql": "select 1 as id",
        ]
        let project = try ProjectLoader.compile(
            fs: InMemoryFileSystem(files),
            options: CompileOptions(
                target: TargetInfo(name: "dev", schema: "analytics", dbname: "warehouse"), checkSQL: false))
        let sql = project.manifest.nodes["model.shop.m"]?.compiledCode ?? ""
        let output = sql.split(separator: "\n", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == expected)
    }

    /// A model whose SQL depends on what a macro asks the database is not syntax-checked at parse
    /// time (its parse-time SQL is a placeholder, as in dbt); other SQL errors still are.
    @Test func parseTimeSqlOfIntrospectingModelsIsNotRejected() throws {
        let files = [
            "dbt_project.yml": "name: shop\nprofile: shop\n",
            "models/union.sql": """
            {% call statement('tables', fetch_result=True) %}select 1{% endcall %}
            {% set found = load_result('tables') %}
            with unioned as ({% if found %}select 1 as id{% endif %}) select * from unioned
            """,
            "models/columns.sql":
                "select {{ adapter.get_columns_in_relation(this) | map(attribute='name') | join(', ') }} from x",
            "models/star.sql":
                "select {{ '*' if not execute else 'a' }}, 1 from x group by {{ '*' if not execute else 'a' }}",
        ]
        let project = try ProjectLoader.compile(fs: InMemoryFileSystem(files), options: CompileOptions())
        #expect(project.manifest.nodes["model.shop.union"] != nil)
        #expect(project.syntaxProblems.isEmpty)
        var broken = files
        broken["models/broken.sql"] = "select from from"
        // still found: an error for the commands that execute the node (a warning for the others)
        let checked = try ProjectLoader.compile(fs: InMemoryFileSystem(broken), options: CompileOptions())
        #expect(checked.syntaxProblems.values.map(\.location?.file) == ["models/broken.sql"])
    }

    /// An ephemeral model is a CTE relation (`is_cte`), in refs and as the model of its tests,
    /// whose SQL is inlined as dbt inlines it.
    @Test func ephemeralModelsAreCteRelationsInRefsAndTests() throws {
        let files = [
            "dbt_project.yml": "name: shop\nprofile: shop\n",
            "models/eph.sql": "{{ config(materialized='ephemeral') }}\nselect 1 as id",
            "models/user.sql": "select {{ ref('eph').is_cte }} as flag from {{ ref('eph') }}",
            "models/commented.sql": "-- note\n/* more */ with x as (select * from {{ ref('eph') }}) select * from x",
            "models/schema.yml":
                "version: 2\nmodels:\n  - name: eph\n    columns:\n      - name: id\n        data_tests: [not_null]\n",
        ]
        let project = try ProjectLoader.compile(fs: InMemoryFileSystem(files), options: CompileOptions())
        let user = project.manifest.nodes["model.shop.user"]?.compiledCode ?? ""
        #expect(user.contains("select True as flag from __dbt__cte__eph"))
        let commented = project.manifest.nodes["model.shop.commented"]?.compiledCode ?? ""
        #expect(
            commented.hasPrefix(
                "-- note\n/* more */ with __dbt__cte__eph as (\nselect 1 as id\n), x as (select * from __dbt__cte__eph)"
            ), "\(commented)")
        let test = try #require(project.manifest.nodes.values.first { $0.resourceType == .test })
        let sql = test.compiledCode ?? ""
        #expect(sql.hasPrefix("with __dbt__cte__eph as (\nselect 1 as id\n)"), "\(sql)")
        #expect(sql.contains("from __dbt__cte__eph"))
    }

    /// Unit test fixtures given as SQL (`format: sql`), inline or from `tests/fixtures/<name>.sql`,
    /// as dbt allows, for inputs and expected rows.
    @Test func unitTestFixturesInSqlFormat() throws {
        let files = [
            "dbt_project.yml": "name: shop\nprofile: shop\n",
            "models/base.sql": "select 1 as id",
            "models/doubled.sql": "select id * 2 as id from {{ ref('base') }}",
            "models/schema.yml": """
            version: 2
            unit_tests:
              - name: doubles
                model: doubled
                given:
                  - input: ref('base')
                    format: sql
                    rows: select 2 as id union all select 3
                expect:
                  format: sql
                  fixture: expected_doubles
            """,
            "tests/fixtures/expected_doubles.sql": "select 4 as id union all select 6",
        ]
        let project = try ProjectLoader.compile(fs: InMemoryFileSystem(files), options: CompileOptions())
        let sql = try project.render("unit_test.shop.doubled.doubles", options: RenderOptions(), adapter: nil)
        #expect(sql.contains("__sqlt_input_base as (\n  select 2 as id union all select 3\n)"), "\(sql)")
        #expect(sql.contains("select id * 2 as id from __sqlt_input_base"))
        #expect(sql.contains("__sqlt_expected as (\nselect 4 as id union all select 6\n)"), "\(sql)")
        #expect(sql.contains("select * from __sqlt_expected except all select * from __sqlt_actual"))
        // A fixture file is not a singular test.
        #expect(project.manifest.nodes.values.filter { $0.resourceType == .test }.isEmpty)
    }
}
