{#- The platform's "today" (var reference_date) as a SQL date. -#}
{% macro reference_date() -%}
    cast('{{ var("reference_date") }}' as date)
{%- endmacro %}
