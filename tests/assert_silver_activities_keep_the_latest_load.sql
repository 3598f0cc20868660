-- silver_activities holds exactly one row per landed id_activity, the latest load of it.
with latest as (
    select id_activity, max(loaded_at) as loaded_at
    from {{ ref('bronze_sport_activities') }}
    group by id_activity
)
select coalesce(l.id_activity, s.id_activity) as id_activity, l.loaded_at, s.loaded_at as silver_loaded_at
from latest l
full join {{ ref('silver_activities') }} s on s.id_activity = l.id_activity
where l.id_activity is null or s.id_activity is null or s.loaded_at <> l.loaded_at
