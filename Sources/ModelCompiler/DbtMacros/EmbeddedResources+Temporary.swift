// Temporary until the EmbedResourcesPlugin lands on main: the same shape it generates.
enum EmbeddedResources {
    static let files: [String: String] = [
        "dbt_macros/data_types.sql": ####"""
{#- sqlt's dbt built-in macros: column types as dbt-postgres names them. Each macro dispatches, so a
    project or package postgres__type_x / default__type_x takes over. -#}

{%- macro type_string() -%}{{ return(adapter.dispatch('type_string', 'dbt')()) }}{%- endmacro -%}
{%- macro default__type_string() -%}{{ return('TEXT') }}{%- endmacro -%}

{%- macro type_timestamp() -%}{{ return(adapter.dispatch('type_timestamp', 'dbt')()) }}{%- endmacro -%}
{%- macro default__type_timestamp() -%}{{ return('timestamp') }}{%- endmacro -%}

{%- macro type_float() -%}{{ return(adapter.dispatch('type_float', 'dbt')()) }}{%- endmacro -%}
{%- macro default__type_float() -%}{{ return('float') }}{%- endmacro -%}

{#- dbt's default precision and scale for a numeric column -#}
{%- macro type_numeric() -%}{{ return(adapter.dispatch('type_numeric', 'dbt')()) }}{%- endmacro -%}
{%- macro default__type_numeric() -%}{{ return('numeric(28,6)') }}{%- endmacro -%}

{%- macro type_int() -%}{{ return(adapter.dispatch('type_int', 'dbt')()) }}{%- endmacro -%}
{%- macro default__type_int() -%}{{ return('integer') }}{%- endmacro -%}

{%- macro type_bigint() -%}{{ return(adapter.dispatch('type_bigint', 'dbt')()) }}{%- endmacro -%}
{%- macro default__type_bigint() -%}{{ return('bigint') }}{%- endmacro -%}

{%- macro type_boolean() -%}{{ return(adapter.dispatch('type_boolean', 'dbt')()) }}{%- endmacro -%}
{%- macro default__type_boolean() -%}{{ return('boolean') }}{%- endmacro -%}

"""####,
        "dbt_macros/dates.sql": ####"""
{#- sqlt's dbt built-in macros: date and time arithmetic in PostgreSQL. -#}

{%- macro dateadd(datepart, interval, from_date_or_timestamp) -%}
    {{ return(adapter.dispatch('dateadd', 'dbt')(datepart, interval, from_date_or_timestamp)) }}
{%- endmacro -%}
{#- PostgreSQL multiplies a one-unit interval: the unit is a literal, the count any expression -#}
{%- macro postgres__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {{ from_date_or_timestamp }} + ((interval '1 {{ datepart }}') * ({{ interval }}))
{%- endmacro -%}

{%- macro datediff(first_date, second_date, datepart) -%}
    {{ return(adapter.dispatch('datediff', 'dbt')(first_date, second_date, datepart)) }}
{%- endmacro -%}
{#- Boundaries crossed between the two values, counted the way dbt-postgres counts them: whole
    calendar units for year/quarter/month/day, then each finer unit from the next coarser one plus
    the difference of its own field. -#}
{%- macro postgres__datediff(first_date, second_date, datepart) -%}
    {%- set a_date = '(' ~ first_date ~ ')::date' -%}
    {%- set b_date = '(' ~ second_date ~ ')::date' -%}
    {%- set a_ts = '(' ~ first_date ~ ')::timestamp' -%}
    {%- set b_ts = '(' ~ second_date ~ ')::timestamp' -%}
    {%- set part = datepart | lower -%}
    {%- if part == 'day' -%}
        ({{ b_date }} - {{ a_date }})
    {%- elif part == 'year' -%}
        (date_part('year', {{ b_date }}) - date_part('year', {{ a_date }}))
    {%- elif part in ('quarter', 'month') -%}
        {%- set per_year = 4 if part == 'quarter' else 12 -%}
        ({{ dbt.datediff(first_date, second_date, 'year') }} * {{ per_year }} + date_part('{{ part }}', {{ b_date }}) - date_part('{{ part }}', {{ a_date }}))
    {%- elif part == 'week' -%}
        ({{ dbt.datediff(first_date, second_date, 'day') }} / 7 + case
            when date_part('dow', {{ a_ts }}) <= date_part('dow', {{ b_ts }})
                then case when {{ first_date }} <= {{ second_date }} then 0 else -1 end
            else case when {{ first_date }} <= {{ second_date }} then 1 else 0 end
        end)
    {%- elif part in ('hour', 'minute', 'second', 'millisecond', 'microsecond') -%}
        {%- set steps = {
            'hour': ('day', 24, false),
            'minute': ('hour', 60, false),
            'second': ('minute', 60, true),
            'millisecond': ('minute', 60000, true),
            'microsecond': ('minute', 60000000, true),
        } -%}
        {%- set coarser, factor, whole = steps[part] -%}
        {%- if whole -%}
        ({{ dbt.datediff(first_date, second_date, coarser) }} * {{ factor }} + floor(date_part('{{ part }}', {{ b_ts }})) - floor(date_part('{{ part }}', {{ a_ts }})))
        {%- else -%}
        ({{ dbt.datediff(first_date, second_date, coarser) }} * {{ factor }} + date_part('{{ part }}', {{ b_ts }}) - date_part('{{ part }}', {{ a_ts }}))
        {%- endif -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("datediff: unsupported datepart '" ~ datepart ~ "' for PostgreSQL") }}
    {%- endif -%}
{%- endmacro -%}

{%- macro date_trunc(datepart, date) -%}
    {{ return(adapter.dispatch('date_trunc', 'dbt')(datepart, date)) }}
{%- endmacro -%}
{%- macro default__date_trunc(datepart, date) -%}
    date_trunc('{{ datepart }}', {{ date }})
{%- endmacro -%}

{%- macro last_day(date, datepart) -%}
    {{ return(adapter.dispatch('last_day', 'dbt')(date, datepart)) }}
{%- endmacro -%}
{#- The day before the start of the next period; a quarter is three months here. -#}
{%- macro postgres__last_day(date, datepart) -%}
    {%- set step, unit = ('3', 'month') if datepart == 'quarter' else ('1', datepart) -%}
    cast({{ dbt.dateadd('day', '-1', dbt.dateadd(unit, step, dbt.date_trunc(datepart, date))) }} as date)
{%- endmacro -%}
{%- macro default_last_day(date, datepart) -%}
    cast({{ dbt.dateadd('day', '-1', dbt.dateadd(datepart, '1', dbt.date_trunc(datepart, date))) }} as date)
{%- endmacro -%}

{%- macro date(year, month, day) -%}
    {{ return(adapter.dispatch('date', 'dbt')(year, month, day)) }}
{%- endmacro -%}
{%- macro default__date(year, month, day) -%}
    to_date('{{ "%04d-%02d-%02d" | format(year | int, month | int, day | int) }}', 'YYYY-MM-DD')
{%- endmacro -%}

{%- macro current_timestamp() -%}
    {{ return(adapter.dispatch('current_timestamp', 'dbt')()) }}
{%- endmacro -%}
{%- macro postgres__current_timestamp() -%}now(){%- endmacro -%}

{%- macro current_timestamp_backcompat() -%}
    {{ return(adapter.dispatch('current_timestamp_backcompat', 'dbt')()) }}
{%- endmacro -%}
{%- macro postgres__current_timestamp_backcompat() -%}
    current_timestamp::{{ dbt.type_timestamp() }}
{%- endmacro -%}

{%- macro current_timestamp_in_utc_backcompat() -%}
    {{ return(adapter.dispatch('current_timestamp_in_utc_backcompat', 'dbt')()) }}
{%- endmacro -%}
{%- macro postgres__current_timestamp_in_utc_backcompat() -%}
    (current_timestamp at time zone 'utc')::{{ dbt.type_timestamp() }}
{%- endmacro -%}

{%- macro snapshot_get_time() -%}
    {{ return(adapter.dispatch('snapshot_get_time', 'dbt')()) }}
{%- endmacro -%}
{%- macro postgres__snapshot_get_time() -%}
    {{ dbt.current_timestamp() }}::timestamp without time zone
{%- endmacro -%}

"""####,
        "dbt_macros/expressions.sql": ####"""
{#- sqlt's dbt built-in macros: casts, aggregates, set operators and arrays in PostgreSQL. -#}

{%- macro cast(field, type) -%}
    {{ return(adapter.dispatch('cast', 'dbt')(field, type)) }}
{%- endmacro -%}
{%- macro default__cast(field, type) -%}
    cast({{ field }} as {{ type }})
{%- endmacro -%}

{#- PostgreSQL has no cast that yields null on failure: a plain cast, as dbt-postgres does -#}
{%- macro safe_cast(field, type) -%}
    {{ return(adapter.dispatch('safe_cast', 'dbt')(field, type)) }}
{%- endmacro -%}
{%- macro default__safe_cast(field, type) -%}
    cast({{ field }} as {{ type }})
{%- endmacro -%}

{#- PostgreSQL has no any_value before 16: the smallest value is one of the values -#}
{%- macro any_value(expression) -%}
    {{ return(adapter.dispatch('any_value', 'dbt')(expression)) }}
{%- endmacro -%}
{%- macro postgres__any_value(expression) -%}
    min({{ expression }})
{%- endmacro -%}

{%- macro bool_or(expression) -%}
    {{ return(adapter.dispatch('bool_or', 'dbt')(expression)) }}
{%- endmacro -%}
{%- macro default__bool_or(expression) -%}
    bool_or({{ expression }})
{%- endmacro -%}

{#- dbt's behaviour flag for null-safe equals is off by default: a plain comparison -#}
{%- macro equals(expr1, expr2) -%}
    {{ return(adapter.dispatch('equals', 'dbt')(expr1, expr2)) }}
{%- endmacro -%}
{%- macro default__equals(expr1, expr2) -%}
    ({{ expr1 }} = {{ expr2 }})
{%- endmacro -%}

{%- macro except() -%}
    {{ return(adapter.dispatch('except', 'dbt')()) }}
{%- endmacro -%}
{%- macro default__except() -%}except{%- endmacro -%}

{%- macro intersect() -%}
    {{ return(adapter.dispatch('intersect', 'dbt')()) }}
{%- endmacro -%}
{%- macro default__intersect() -%}intersect{%- endmacro -%}

{%- macro array_construct(inputs=[], data_type='integer') -%}
    {{ return(adapter.dispatch('array_construct', 'dbt')(inputs, data_type)) }}
{%- endmacro -%}
{#- an empty array needs its element type -#}
{%- macro default__array_construct(inputs, data_type) -%}
    {%- if inputs | length > 0 -%}
    array[ {{ inputs | join(' , ') }} ]
    {%- else -%}
    array[]::{{ data_type }}[]
    {%- endif -%}
{%- endmacro -%}

{%- macro array_append(array, new_element) -%}
    {{ return(adapter.dispatch('array_append', 'dbt')(array, new_element)) }}
{%- endmacro -%}
{%- macro default__array_append(array, new_element) -%}
    array_append({{ array }}, {{ new_element }})
{%- endmacro -%}

{%- macro array_concat(array_1, array_2) -%}
    {{ return(adapter.dispatch('array_concat', 'dbt')(array_1, array_2)) }}
{%- endmacro -%}
{%- macro default__array_concat(array_1, array_2) -%}
    array_cat({{ array_1 }}, {{ array_2 }})
{%- endmacro -%}

"""####,
        "dbt_macros/naming.sql": ####"""
{#- sqlt's dbt built-in macros: the names dbt gives a node's schema, relation and database.
    sqlt computes the same names itself unless the project defines generate_*_name; these are for
    project and package macros that call them (or their default__ versions). -#}

{%- macro generate_schema_name(custom_schema_name=none, node=none) -%}
    {{ return(adapter.dispatch('generate_schema_name', 'dbt')(custom_schema_name, node)) }}
{%- endmacro -%}
{%- macro default__generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
    {{ target.schema }}
    {%- else -%}
    {{ target.schema }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro -%}

{#- the custom schema alone in prod, the target schema elsewhere -#}
{%- macro generate_schema_name_for_env(custom_schema_name, node) -%}
    {%- if target.name == 'prod' and custom_schema_name is not none -%}
    {{ custom_schema_name | trim }}
    {%- else -%}
    {{ target.schema }}
    {%- endif -%}
{%- endmacro -%}

{%- macro generate_alias_name(custom_alias_name=none, node=none) -%}
    {{ return(adapter.dispatch('generate_alias_name', 'dbt')(custom_alias_name, node)) }}
{%- endmacro -%}
{#- a versioned model's relation is <name>_v<version> -#}
{%- macro default__generate_alias_name(custom_alias_name, node) -%}
    {%- if custom_alias_name -%}
    {{ custom_alias_name | trim }}
    {%- elif node.version -%}
    {{ node.name ~ "_v" ~ (node.version | replace(".", "_")) }}
    {%- else -%}
    {{ node.name }}
    {%- endif -%}
{%- endmacro -%}

{%- macro generate_database_name(custom_database_name=none, node=none) -%}
    {{ return(adapter.dispatch('generate_database_name', 'dbt')(custom_database_name, node)) }}
{%- endmacro -%}
{%- macro default__generate_database_name(custom_database_name, node) -%}
    {%- if custom_database_name is none -%}
    {{ target.database }}
    {%- else -%}
    {{ custom_database_name | trim }}
    {%- endif -%}
{%- endmacro -%}

"""####,
        "dbt_macros/relations.sql": ####"""
{#- sqlt's dbt built-in macros: statements about relations that packages build or call. -#}

{%- macro get_create_table_as_sql(temporary, relation, sql) -%}
    {{ return(adapter.dispatch('get_create_table_as_sql', 'dbt')(temporary, relation, sql)) }}
{%- endmacro -%}
{%- macro default__get_create_table_as_sql(temporary, relation, sql) -%}
    {{ return(dbt.create_table_as(temporary, relation, sql)) }}
{%- endmacro -%}

{%- macro create_table_as(temporary, relation, compiled_code, language='sql') -%}
    {{ return(adapter.dispatch('create_table_as', 'dbt')(temporary, relation, compiled_code, language)) }}
{%- endmacro -%}
{#- a temporary table lives in the session's own schema, so it is named without one -#}
{%- macro postgres__create_table_as(temporary, relation, sql, language='sql') -%}
    {%- set name = adapter.quote(relation.identifier) if temporary else relation -%}
    create {% if temporary %}temporary {% endif %}table {{ name }} as (
    {{ sql }}
    );
{%- endmacro -%}

{%- macro get_create_view_as_sql(relation, sql) -%}
    {{ return(adapter.dispatch('get_create_view_as_sql', 'dbt')(relation, sql)) }}
{%- endmacro -%}
{%- macro default__get_create_view_as_sql(relation, sql) -%}
    {{ return(dbt.create_view_as(relation, sql)) }}
{%- endmacro -%}

{%- macro create_view_as(relation, sql) -%}
    {{ return(adapter.dispatch('create_view_as', 'dbt')(relation, sql)) }}
{%- endmacro -%}
{%- macro default__create_view_as(relation, sql) -%}
    create view {{ relation }} as (
    {{ sql }}
    );
{%- endmacro -%}

{#- a query returning no rows with the columns of select_sql -#}
{%- macro get_empty_subquery_sql(select_sql, select_sql_header=none) -%}
    {{ return(adapter.dispatch('get_empty_subquery_sql', 'dbt')(select_sql, select_sql_header)) }}
{%- endmacro -%}
{%- macro default__get_empty_subquery_sql(select_sql, select_sql_header=none) -%}
    {%- if select_sql_header is not none -%}{{ select_sql_header }}{%- endif -%}
    select * from (
        {{ select_sql }}
    ) as __dbt_sbq
    where false
    limit 0
{%- endmacro -%}

{#- the column names of a query, asked of the database (an empty list while parsing) -#}
{%- macro get_columns_in_query(select_sql) -%}
    {{ return(adapter.dispatch('get_columns_in_query', 'dbt')(select_sql)) }}
{%- endmacro -%}
{%- macro default__get_columns_in_query(select_sql) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set result = run_query(dbt.get_empty_subquery_sql(select_sql)) -%}
    {{ return(result.column_names if result else []) }}
{%- endmacro -%}

{#- a generic test's model, narrowed by its `where` config -#}
{%- macro get_where_subquery(relation) -%}
    {{ return(adapter.dispatch('get_where_subquery', 'dbt')(relation)) }}
{%- endmacro -%}
{%- macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if where -%}
    {{ return("(select * from " ~ relation ~ " where " ~ where ~ ") dbt_subquery") }}
    {%- else -%}
    {{ return(relation) }}
    {%- endif -%}
{%- endmacro -%}

{#- --full-refresh, unless the model's full_refresh config says otherwise -#}
{%- macro should_full_refresh() -%}
    {%- set configured = config.get('full_refresh') -%}
    {{ return(flags.FULL_REFRESH if configured is none else configured) }}
{%- endmacro -%}

"""####,
        "dbt_macros/series.sql": ####"""
{#- sqlt's dbt built-in macros: number and date series in PostgreSQL. -#}

{#- the smallest n with 2^n >= upper_bound (packages size cross joins with it) -#}
{%- macro get_powers_of_two(upper_bound) -%}
    {{ return(adapter.dispatch('get_powers_of_two', 'dbt')(upper_bound)) }}
{%- endmacro -%}
{%- macro default__get_powers_of_two(upper_bound) -%}
    {%- if upper_bound <= 0 -%}
    {{ exceptions.raise_compiler_error("upper bound must be positive") }}
    {%- endif -%}
    {%- for n in range(1, 100) -%}
    {%- if upper_bound <= 2 ** n -%}{{ return(n) }}{%- endif -%}
    {%- endfor -%}
{%- endmacro -%}

{#- the numbers 1 to upper_bound as column generated_number, in order -#}
{%- macro generate_series(upper_bound) -%}
    {{ return(adapter.dispatch('generate_series', 'dbt')(upper_bound)) }}
{%- endmacro -%}
{%- macro postgres__generate_series(upper_bound) -%}
    select generated_number from generate_series(1, {{ upper_bound }}) as series(generated_number) order by generated_number
{%- endmacro -%}

{#- datediff between two expressions, asked of the database once it can answer (1 while parsing) -#}
{%- macro get_intervals_between(start_date, end_date, datepart) -%}
    {{ return(adapter.dispatch('get_intervals_between', 'dbt')(start_date, end_date, datepart)) }}
{%- endmacro -%}
{%- macro default__get_intervals_between(start_date, end_date, datepart) -%}
    {%- if execute -%}
    {%- set result = run_query('select ' ~ dbt.datediff(start_date, end_date, datepart)) -%}
    {%- if result and result.rows | length > 0 and result.rows[0][0] is not none -%}
    {{ return(result.rows[0][0] | int) }}
    {%- endif -%}
    {%- endif -%}
    {{ return(1) }}
{%- endmacro -%}

{#- one row per datepart from start_date (included) to end_date (excluded), column date_<datepart> -#}
{%- macro date_spine(datepart, start_date, end_date) -%}
    {{ return(adapter.dispatch('date_spine', 'dbt')(datepart, start_date, end_date)) }}
{%- endmacro -%}
{%- macro default__date_spine(datepart, start_date, end_date) -%}
    {%- set periods = dbt.get_intervals_between(start_date, end_date, datepart) -%}
    select *
    from (
        select ({{ dbt.dateadd(datepart, 'series.n', start_date) }}) as date_{{ datepart }}
        from generate_series(0, {{ periods }} - 1) as series(n)
    ) as all_periods
    where date_{{ datepart }} <= {{ end_date }}
{%- endmacro -%}

"""####,
        "dbt_macros/strings.sql": ####"""
{#- sqlt's dbt built-in macros: text functions in PostgreSQL. -#}

{%- macro concat(fields) -%}
    {{ return(adapter.dispatch('concat', 'dbt')(fields)) }}
{%- endmacro -%}
{%- macro default__concat(fields) -%}
    {{ fields | join(' || ') }}
{%- endmacro -%}

{%- macro hash(field) -%}
    {{ return(adapter.dispatch('hash', 'dbt')(field)) }}
{%- endmacro -%}
{%- macro default__hash(field) -%}
    md5(cast({{ field }} as {{ dbt.type_string() }}))
{%- endmacro -%}

{%- macro split_part(string_text, delimiter_text, part_number) -%}
    {{ return(adapter.dispatch('split_part', 'dbt')(string_text, delimiter_text, part_number)) }}
{%- endmacro -%}
{%- macro default__split_part(string_text, delimiter_text, part_number) -%}
    split_part({{ string_text }}, {{ delimiter_text }}, {{ part_number }})
{%- endmacro -%}
{#- A negative part counts from the end: -1 is the last part. The number of parts is one more than
    the number of delimiters, which the length lost by removing them tells. -#}
{%- macro postgres__split_part(string_text, delimiter_text, part_number) -%}
    {%- if part_number >= 0 -%}
    {{ dbt.default__split_part(string_text, delimiter_text, part_number) }}
    {%- else -%}
    {{ dbt._split_part_negative(string_text, delimiter_text, part_number) }}
    {%- endif -%}
{%- endmacro -%}
{%- macro _split_part_negative(string_text, delimiter_text, part_number) -%}
    split_part({{ string_text }}, {{ delimiter_text }}, length({{ string_text }}) - length(replace({{ string_text }}, {{ delimiter_text }}, '')) + 2 + {{ part_number }})
{%- endmacro -%}

{%- macro listagg(measure, delimiter_text="','", order_by_clause=none, limit_num=none) -%}
    {{ return(adapter.dispatch('listagg', 'dbt')(measure, delimiter_text, order_by_clause, limit_num)) }}
{%- endmacro -%}
{#- string_agg, or the first limit_num values of an ordered array_agg joined -#}
{%- macro postgres__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- set ordering = (' ' ~ order_by_clause) if order_by_clause else '' -%}
    {%- if limit_num -%}
    array_to_string((array_agg({{ measure }}{{ ordering }}))[1:{{ limit_num }}], {{ delimiter_text }})
    {%- else -%}
    string_agg({{ measure }}, {{ delimiter_text }}{{ ordering }})
    {%- endif -%}
{%- endmacro -%}

{%- macro escape_single_quotes(expression) -%}
    {{ return(adapter.dispatch('escape_single_quotes', 'dbt')(expression)) }}
{%- endmacro -%}
{%- macro default__escape_single_quotes(expression) -%}
    {{ expression | replace("'", "''") }}
{%- endmacro -%}

{%- macro string_literal(value) -%}
    {{ return(adapter.dispatch('string_literal', 'dbt')(value)) }}
{%- endmacro -%}
{%- macro default__string_literal(value) -%}
    '{{ value }}'
{%- endmacro -%}

{%- macro length(expression) -%}
    {{ return(adapter.dispatch('length', 'dbt')(expression)) }}
{%- endmacro -%}
{%- macro default__length(expression) -%}
    length({{ expression }})
{%- endmacro -%}

{%- macro position(substring_text, string_text) -%}
    {{ return(adapter.dispatch('position', 'dbt')(substring_text, string_text)) }}
{%- endmacro -%}
{%- macro default__position(substring_text, string_text) -%}
    position({{ substring_text }} in {{ string_text }})
{%- endmacro -%}

{%- macro replace(field, old_chars, new_chars) -%}
    {{ return(adapter.dispatch('replace', 'dbt')(field, old_chars, new_chars)) }}
{%- endmacro -%}
{%- macro default__replace(field, old_chars, new_chars) -%}
    replace({{ field }}, {{ old_chars }}, {{ new_chars }})
{%- endmacro -%}

{%- macro right(string_text, length_expression) -%}
    {{ return(adapter.dispatch('right', 'dbt')(string_text, length_expression)) }}
{%- endmacro -%}
{%- macro default__right(string_text, length_expression) -%}
    right({{ string_text }}, {{ length_expression }})
{%- endmacro -%}

{%- macro cast_bool_to_text(field) -%}
    {{ return(adapter.dispatch('cast_bool_to_text', 'dbt')(field)) }}
{%- endmacro -%}
{%- macro default__cast_bool_to_text(field) -%}
    cast({{ field }} as {{ dbt.type_string() }})
{%- endmacro -%}

"""####,
    ]
}
