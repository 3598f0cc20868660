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
