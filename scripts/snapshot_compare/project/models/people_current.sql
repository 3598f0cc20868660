-- The current version of every person still in the source: ref() to a snapshot.
select id, name, bu
from {{ ref('ts_invalidate') }}
where dbt_valid_to is null
