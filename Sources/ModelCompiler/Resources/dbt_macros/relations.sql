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
