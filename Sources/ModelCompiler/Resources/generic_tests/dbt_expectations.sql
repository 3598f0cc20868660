{% macro sqlt_expectations_expression_is_true(model, expression, test_condition="= true", group_by_columns=none, row_condition=none) %}
with grouped_expression as (
    select
        {% if group_by_columns %}
        {% for group_by_column in group_by_columns -%}
        {{ group_by_column }} as col_{{ loop.index }},
        {% endfor -%}
        {% endif %}
        {{ expression }} as expression
    from {{ model }}
    {%- if row_condition %}
    where
        {{ row_condition }}
    {% endif %}
    {% if group_by_columns %}
    group by
    {% for group_by_column in group_by_columns -%}
        {{ group_by_column }}{% if not loop.last %},{% endif %}
    {% endfor %}
    {% endif %}
),
validation_errors as (
    select
        *
    from
        grouped_expression
    where
        not(expression {{ test_condition }})
)
select *
from validation_errors
{% endmacro %}

{% macro sqlt_expectations_expression_between(model, expression, min_value, max_value, group_by_columns, row_condition, strictly) %}
{%- set strict_operator = "" -%}
{%- if not strictly -%}{%- set strict_operator = "=" -%}{%- endif -%}
{%- set expression_min_max -%}
( 1=1
{%- if min_value is not none %} and {{ expression }} >{{ strict_operator }} {{ min_value }}{% endif %}
{%- if max_value is not none %} and {{ expression }} <{{ strict_operator }} {{ max_value }}{% endif %}
)
{%- endset -%}
{{ sqlt_expectations_expression_is_true(model, expression=expression_min_max, group_by_columns=group_by_columns, row_condition=row_condition) }}
{% endmacro %}

{% test expect_column_values_to_be_between(model, column_name, min_value=none, max_value=none, row_condition=none, strictly=false) %}
{{ sqlt_expectations_expression_between(model, column_name, min_value, max_value, none, row_condition, strictly) }}
{% endtest %}

{% test expect_column_values_to_match_regex(model, column_name, regex, row_condition=none, is_raw=false, flags="") %}
{%- set expression -%}
regexp_instr({{ column_name }}, '{{ regex | replace("'", "''") }}', 1, 1, 0, '{{ flags | replace("'", "''") }}') > 0
{%- endset -%}
{{ sqlt_expectations_expression_is_true(model, expression=expression, group_by_columns=none, row_condition=row_condition) }}
{% endtest %}

{% test expect_column_values_to_be_in_set(model, column_name, value_set, quote_values=true, row_condition=none) %}
with all_values as (
    select
        {{ column_name }} as value_field
    from {{ model }}
    {% if row_condition %}
    where {{ row_condition }}
    {% endif %}
),
set_values as (
    {% for value in value_set -%}
    select
        {% if quote_values -%}
        cast('{{ value | string | replace("'", "''") }}' as varchar)
        {%- else -%}
        {{ value }}
        {%- endif %} as value_field
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),
validation_errors as (
    -- values from the model that are not in the set
    select
        v.value_field
    from
        all_values v
        left join
        set_values s on v.value_field = s.value_field
    where
        s.value_field is null
)
select *
from validation_errors
{% endtest %}

{% test expect_table_row_count_to_be_between(model, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{{ sqlt_expectations_expression_between(model, "count(*)", min_value, max_value, group_by, row_condition, strictly) }}
{% endtest %}

{% test expect_column_pair_values_A_to_be_greater_than_B(model, column_A, column_B, or_equal=false, row_condition=none) %}
{%- set operator = ">" -%}
{%- if or_equal -%}{%- set operator = ">=" -%}{%- endif -%}
{%- set expression = column_A ~ " " ~ operator ~ " " ~ column_B -%}
{{ sqlt_expectations_expression_is_true(model, expression=expression, group_by_columns=none, row_condition=row_condition) }}
{% endtest %}

{% test expect_column_values_to_be_unique(model, column_name, row_condition=none) %}
with validation_errors as (
    select
        {{ column_name }},
        count(*) as "n_records"
    from {{ model }}
    where
        1=1
        and not ({{ column_name }} is null)
        {% if row_condition %}
        and {{ row_condition }}
        {% endif %}
    group by
        {{ column_name }}
    having count(*) > 1
)
select * from validation_errors
{% endtest %}

{% test expect_column_values_to_not_be_null(model, column_name, row_condition=none) %}
{%- set expression = column_name ~ " is not null" -%}
{{ sqlt_expectations_expression_is_true(model, expression=expression, group_by_columns=none, row_condition=row_condition) }}
{% endtest %}

