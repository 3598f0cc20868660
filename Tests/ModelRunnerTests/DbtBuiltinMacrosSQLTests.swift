import Foundation
import ModelCompiler
import ModelRunner
import TestSupport
import Testing

/// dbt's built-in macros as sqlt writes them, evaluated by PostgreSQL: each case is one macro call
/// whose value PostgreSQL computes, compared with the value worked out by hand. The same select run
/// through dbt-core 1.11 / dbt-postgres 1.11 gives the same 56 values, except that dbt's
/// get_intervals_between returns the database's number as agate has it (`2.0`), sqlt an integer.
@Suite struct DbtBuiltinMacrosSQLTests {
    /// `run_query` on the test's own connection.
    struct ConnectionAdapter: RuntimeAdapter, @unchecked Sendable {
        let connection: PostgresConnection
        func relationExists(schema: String, name: String) -> Bool { false }
        func runQuery(_ sql: String) throws -> (columns: [String], rows: [[String?]]) {
            let result = try connection.execute(sql)
            return (result.columns.map(\.name), result.rows)
        }
    }

    /// (SQL expression with macro calls, its value as text)
    static let cases: [(String, String)] = [
        ("{{ dbt.dateadd('day', 3, \"'2024-01-30'::date\") }}", "2024-02-02 00:00:00"),
        ("{{ dateadd('month', 1, \"'2024-01-31'::date\") }}", "2024-02-29 00:00:00"),
        ("{{ dbt.dateadd('hour', -2, \"'2024-01-01 01:00'::timestamp\") }}", "2023-12-31 23:00:00"),
        ("{{ dbt.datediff(\"'2024-01-01'::date\", \"'2024-03-15'::date\", 'day') }}", "74"),
        ("{{ datediff(\"'2023-11-30'::date\", \"'2024-02-01'::date\", 'month') }}", "3"),
        ("{{ dbt.datediff(\"'2023-12-31'::date\", \"'2024-01-01'::date\", 'year') }}", "1"),
        ("{{ dbt.datediff(\"'2023-11-15'::date\", \"'2024-04-01'::date\", 'quarter') }}", "2"),
        ("{{ dbt.datediff(\"'2024-01-01'::date\", \"'2024-01-15'::date\", 'week') }}", "2"),
        // Saturday to Monday crosses one week boundary
        ("{{ dbt.datediff(\"'2024-01-06'::date\", \"'2024-01-08'::date\", 'week') }}", "1"),
        ("{{ dbt.datediff(\"'2024-01-01 23:30'::timestamp\", \"'2024-01-02 01:10'::timestamp\", 'hour') }}", "2"),
        (
            "{{ dbt.datediff(\"'2024-01-01 10:59:59'::timestamp\", \"'2024-01-01 11:00:01'::timestamp\", 'minute') }}",
            "1"
        ),
        (
            "{{ dbt.datediff(\"'2024-01-01 10:00:00.5'::timestamp\", \"'2024-01-01 10:00:02.1'::timestamp\", 'second') }}",
            "2"
        ),
        ("{{ dbt.date_trunc('month', \"'2024-02-17 10:00'::timestamp\") }}", "2024-02-01 00:00:00"),
        ("{{ dbt.last_day(\"'2024-02-17'::date\", 'month') }}", "2024-02-29"),
        ("{{ last_day(\"'2024-05-10'::date\", 'quarter') }}", "2024-06-30"),
        ("{{ dbt.last_day(\"'2023-03-10'::date\", 'year') }}", "2023-12-31"),
        ("{{ dbt.concat([\"'a'\", \"'b'\", \"'c'\"]) }}", "abc"),
        ("{{ dbt.hash(\"'abc'\") }}", "900150983cd24fb0d6963f7d28e17f72"),
        ("{{ dbt.split_part(\"'a,b,c'\", \"','\", 2) }}", "b"),
        ("{{ split_part(\"'a,b,c'\", \"','\", -1) }}", "c"),
        ("{{ dbt.split_part(\"'a,b,c'\", \"','\", -2) }}", "b"),
        ("(select {{ dbt.listagg('v', \"'|'\", 'order by v desc') }} from (values ('a'), ('c'), ('b')) t(v))", "c|b|a"),
        ("(select {{ listagg('v', \"'|'\", 'order by v', 2) }} from (values ('a'), ('c'), ('b')) t(v))", "a|b"),
        ("(select {{ dbt.listagg('v') }} from (values ('a')) t(v))", "a"),
        ("(select {{ dbt.any_value('v') }} from (values (3), (1)) t(v))", "1"),
        ("(select {{ dbt.bool_or('v') }} from (values (false), (true)) t(v))", "true"),
        ("{{ dbt.cast_bool_to_text('1 = 1') }}", "true"),
        ("'{{ dbt.escape_single_quotes(\"it's\") }}'", "it's"),
        ("{{ dbt.string_literal('plain') }}", "plain"),
        ("(select count(*) from (select 1 {{ dbt.except() }} select 2) s)", "1"),
        ("(select count(*) from (select 1 {{ intersect() }} select 2) s)", "0"),
        ("{{ dbt.length(\"'hello'\") }}", "5"),
        ("{{ dbt.position(\"'l'\", \"'hello'\") }}", "3"),
        ("{{ dbt.replace(\"'hello'\", \"'l'\", \"'L'\") }}", "heLLo"),
        ("{{ dbt.right(\"'hello'\", 3) }}", "llo"),
        ("{{ dbt.array_construct(['1', '2']) }}", "{1,2}"),
        ("{{ dbt.array_construct([]) }}", "{}"),
        ("{{ dbt.array_append(dbt.array_construct(['1']), '2') }}", "{1,2}"),
        ("{{ dbt.array_concat(dbt.array_construct(['1']), dbt.array_construct(['2', '3'])) }}", "{1,2,3}"),
        ("{{ dbt.date(2024, 2, 9) }}", "2024-02-09"),
        ("{{ dbt.safe_cast(\"'42'\", dbt.type_int()) }}", "42"),
        ("{{ dbt.cast(\"'1.5'\", dbt.type_numeric()) }}", "1.500000"),
        ("{{ cast(\"'1.5'\", type_float()) }}", "1.5"),
        ("pg_typeof(cast(1 as {{ dbt.type_bigint() }}))", "bigint"),
        ("pg_typeof(cast('t' as {{ dbt.type_boolean() }}))", "boolean"),
        ("pg_typeof(cast('x' as {{ dbt.type_string() }}))", "text"),
        ("pg_typeof(cast('2024-01-01' as {{ dbt.type_timestamp() }}))", "timestamp without time zone"),
        ("pg_typeof({{ dbt.current_timestamp() }})", "timestamp with time zone"),
        ("pg_typeof({{ dbt.current_timestamp_backcompat() }})", "timestamp without time zone"),
        ("pg_typeof({{ dbt.current_timestamp_in_utc_backcompat() }})", "timestamp without time zone"),
        ("{{ dbt.equals(\"'a'\", \"'a'\") }}", "true"),
        ("(select sum(generated_number) from ({{ dbt.generate_series(5) }}) s)", "15"),
        ("{{ dbt.get_powers_of_two(5) }}", "3"),
        // one row per day, the end date excluded: 2024-01-01 to 2024-01-07
        (
            "(select count(*) || ' ' || min(date_day)::date || ' ' || max(date_day)::date from ({{ dbt.date_spine('day', \"'2024-01-01'::date\", \"'2024-01-08'::date\") }}) s)",
            "7 2024-01-01 2024-01-07"
        ),
        ("(select count(*) from ({{ date_spine('month', \"'2024-01-01'::date\", \"'2024-04-01'::date\") }}) s)", "3"),
        ("{{ dbt.get_intervals_between(\"'2024-01-01'::date\", \"'2024-03-01'::date\", 'month') }}", "2"),
    ]

    @Test func everyCrossDatabaseMacroEvaluatesInPostgreSQL() async throws {
        let select = Self.cases.enumerated().map { i, c in "(\(c.0))::text as c\(i)" }.joined(separator: ",\n    ")
        let files = ["dbt_project.yml": "name: shop\n", "models/macros_evaluated.sql": "select\n    \(select)\n"]
        let project = try ProjectLoader.compile(
            fs: InMemoryFileSystem(files),
            options: CompileOptions(target: TargetInfo(schema: "analytics"), environment: [:]))
        try await TestDatabase.withSchema { pg, _, _ in
            // Rendered as a run renders it: with the database there, so run_query answers.
            let sql = try project.render(
                "model.shop.macros_evaluated", options: RenderOptions(), adapter: ConnectionAdapter(connection: pg))
            let result = try pg.execute(sql)
            let row = try #require(result.rows.first)
            for (i, c) in Self.cases.enumerated() {
                #expect(row[i] == c.1, "\(c.0)")
            }
        }
    }

    @Test func aProjectOverrideIsWhatPostgreSQLRuns() async throws {
        let files = [
            "dbt_project.yml": "name: shop\n",
            "macros/hash.sql": "{% macro postgres__hash(field) %}upper(md5(cast({{ field }} as text))){% endmacro %}",
            "models/m.sql": "select {{ dbt.hash(\"'abc'\") }} as h",
        ]
        let project = try ProjectLoader.compile(
            fs: InMemoryFileSystem(files),
            options: CompileOptions(target: TargetInfo(schema: "analytics"), environment: [:]))
        try await TestDatabase.withSchema { pg, _, _ in
            let sql = try #require(project.manifest.nodes["model.shop.m"]?.compiledCode)
            #expect(try pg.execute(sql).rows.first?.first == "900150983CD24FB0D6963F7D28E17F72")
        }
    }
}
