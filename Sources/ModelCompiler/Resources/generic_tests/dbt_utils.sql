{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
with meet_condition as (
  select *
  from {{ model }}
),
validation_errors as (
  select *
  from meet_condition
  where
    -- never true, defaults to an empty result set; exists so any combination of the clauses below works
    1 = 2
  {%- if min_value is not none %}
    -- records with a value >= min_value are permitted; the not finds the records breaking the rule
    or not {{ column_name }} {% if inclusive %}>={% else %}>{% endif %} {{ min_value }}
  {%- endif %}
  {%- if max_value is not none %}
    or not {{ column_name }} {% if inclusive %}<={% else %}<{% endif %} {{ max_value }}
  {%- endif %}
)
select *
from validation_errors
{% endtest %}

{% test expression_is_true(model, expression, column_name=none) %}
select *
from {{ model }}
{% if column_name is none %}
where not({{ expression }})
{%- else %}
where not({{ column_name }} {{ expression }})
{%- endif %}
{% endtest %}

{% test unique_combination_of_columns(model, combination_of_columns, quote_columns=false) %}
{%- set columns_csv -%}
{%- for column in combination_of_columns -%}
    {%- if quote_columns -%}"{{ column | replace('"', '""') }}"{%- else -%}{{ column }}{%- endif -%}
    {%- if not loop.last %}, {% endif -%}
{%- endfor -%}
{%- endset %}
with validation_errors as (
    select
        {{ columns_csv }}
    from {{ model }}
    group by {{ columns_csv }}
    having count(*) > 1
)
select *
from validation_errors
{% endtest %}

{% test not_null_proportion(model, column_name, at_least, at_most=1.0, group_by_columns=[]) %}
{% set select_gb_cols = '' %}
{% set groupby_gb_cols = '' %}
{% if group_by_columns | length > 0 %}
  {% set select_gb_cols = group_by_columns | join(' ,') ~ ', ' %}
  {% set groupby_gb_cols = 'group by ' ~ group_by_columns | join(',') %}
{% endif %}
with validation as (
  select
    {{ select_gb_cols }}
    sum(case when {{ column_name }} is null then 0 else 1 end) / cast(nullif(count(*), 0) as numeric) as not_null_proportion
  from {{ model }}
  {{ groupby_gb_cols }}
),
validation_errors as (
  select
    {{ select_gb_cols }}
    not_null_proportion
  from validation
  where not_null_proportion < {{ at_least }} or not_null_proportion > {{ at_most }}
)
select
  *
from validation_errors
{% endtest %}

{% test recency(model, field, datepart, interval, ignore_time_component=false, group_by_columns=[]) %}
{% set select_gb_cols = '' %}
{% set groupby_gb_cols = '' %}
{% if group_by_columns | length > 0 %}
  {% set select_gb_cols = group_by_columns | join(' ,') ~ ', ' %}
  {% set groupby_gb_cols = 'group by ' ~ group_by_columns | join(',') %}
{% endif %}
{% set threshold -%}
cast(now() + ((interval '1 {{ datepart }}') * ({{ interval }} * -1)) as {% if ignore_time_component %}date{% else %}timestamp{% endif %})
{%- endset %}
with recency as (
    select
      {{ select_gb_cols }}
      {% if ignore_time_component %}
        cast(max({{ field }}) as date) as most_recent
      {%- else %}
        max({{ field }}) as most_recent
      {%- endif %}
    from {{ model }}
    {{ groupby_gb_cols }}
)
select
    {{ select_gb_cols }}
    most_recent,
    {{ threshold }} as threshold
from recency
where most_recent < {{ threshold }}
    or most_recent is null
{% endtest %}

{% test at_least_one(model, column_name, group_by_columns=[]) %}
{% set select_gb_cols = '' %}
{% set groupby_gb_cols = '' %}
{% if group_by_columns | length > 0 %}
  {% set select_gb_cols = group_by_columns | join(' ,') ~ ', ' %}
  {% set groupby_gb_cols = 'group by ' ~ group_by_columns | join(',') %}
{% endif %}
select *
from (
    select
      {{ select_gb_cols }}
      count({{ column_name }}) as filler_column
    from {{ model }}
    {{ groupby_gb_cols }}
    having count({{ column_name }}) = 0
) validation_errors
{% endtest %}

{% test not_constant(model, column_name, group_by_columns=[]) %}
{% set select_gb_cols = '' %}
{% set groupby_gb_cols = '' %}
{% if group_by_columns | length > 0 %}
  {% set select_gb_cols = group_by_columns | join(' ,') ~ ', ' %}
  {% set groupby_gb_cols = 'group by ' ~ group_by_columns | join(',') %}
{% endif %}
select
    {{ select_gb_cols }}
    count(distinct {{ column_name }}) as filler_column
from {{ model }}
  {{ groupby_gb_cols }}
having count(distinct {{ column_name }}) = 1
{% endtest %}

{% test equal_rowcount(model, compare_model, group_by_columns=[]) %}
{% set select_gb_cols = '' %}
{% set groupby_gb_cols = '' %}
{% if group_by_columns | length > 0 %}
  {% set select_gb_cols = group_by_columns | join(', ') ~ ', ' %}
  {% set groupby_gb_cols = 'group by ' ~ group_by_columns | join(',') %}
{% endif %}
with a as (
    select
      {{ select_gb_cols }}
      1 as id_dbtutils_test_equal_rowcount,
      count(*) as count_a
    from {{ model }}
    {{ groupby_gb_cols }}
),
b as (
    select
      {{ select_gb_cols }}
      1 as id_dbtutils_test_equal_rowcount,
      count(*) as count_b
    from {{ compare_model }}
    {{ groupby_gb_cols }}
),
final as (
    select
        {% for c in group_by_columns -%}
          a.{{ c }} as {{ c }}_a,
          b.{{ c }} as {{ c }}_b,
        {% endfor %}
        count_a,
        count_b,
        abs(coalesce(count_a, 0) - coalesce(count_b, 0)) as diff_count
    from a
    full join b
    on
    a.id_dbtutils_test_equal_rowcount = b.id_dbtutils_test_equal_rowcount
    {% for c in group_by_columns -%}
      and a.{{ c }} = b.{{ c }}
    {% endfor %}
)
select * from final
{% endtest %}

