-- Each employee's business unit and commute mode as of a date (var as_of, a timestamp; null:
-- now), read from the HR history snapshot: the version valid at that time. A view, so without
-- as_of it always answers for the moment it is queried.
{{ config(materialized='view') }}
{%- set as_of = "cast('" ~ var('as_of') ~ "' as timestamp)" if var('as_of') else "localtimestamp" %}
select
    id_salarie,
    bu,
    moyen_deplacement,
    dbt_valid_from as valide_depuis,
    dbt_valid_to   as valide_jusqua
from {{ ref('hr_history') }}
where dbt_valid_from <= {{ as_of }}
  and (dbt_valid_to is null or dbt_valid_to > {{ as_of }})
