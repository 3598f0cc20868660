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
