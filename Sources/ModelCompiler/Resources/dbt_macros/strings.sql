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
