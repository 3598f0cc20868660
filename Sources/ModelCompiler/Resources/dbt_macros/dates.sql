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
