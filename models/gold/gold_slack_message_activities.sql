{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='id_activity',
        on_schema_change='fail',
        post_hook="delete from {{ this }} where jour_activite is distinct from {{ reference_date() }}"
    )
}}
-- The reference day's activities as ready-to-post French messages, with the public pseudonym only
-- (never a last name: silver_rh_info.nom_public).
-- Incremental by the day: an incremental run recomputes the reference day's messages and writes
-- only the rows that differ from the table (new, late or corrected activities, a changed public
-- name); an activity that left the day (corrected, or the employee left the HR export) comes as a
-- row without a day, and the post_hook deletes it with the rows of any other day (the reference
-- date moved), in the same transaction. The result equals a full refresh.
with day_messages as (
    select
        a.id_activity,
        a.jour_activite,
        a.date_debut,
        r.nom_public as nom_affiche,
        a.sport_type,
        case
            when a.distance_m is not null then
                'Bravo ' || r.nom_public || ' : ' || {{ fr_km('a.distance_m') }} || ' km '
                || {{ sport_phrase('a.sport_type') }} || ' en ' || {{ fr_duration('a.date_debut', 'a.date_fin') }} || ' !'
            else
                'Bravo ' || r.nom_public || ' : ' || {{ fr_duration('a.date_debut', 'a.date_fin') }} || ' '
                || {{ sport_phrase('a.sport_type') }} || ' !'
        end as message
    from {{ ref('silver_activities') }} a
    join {{ ref('silver_rh_info') }} r on r.id_salarie = a.id_salarie
    where a.jour_activite = {{ reference_date() }}
)

{% if is_incremental() %}
-- rows of the day that are new or differ from the table
select n.*
from day_messages n
where not exists (
    select 1 from {{ this }} p
    where p.id_activity = n.id_activity
      and (p.id_activity, p.jour_activite, p.date_debut, p.nom_affiche, p.sport_type, p.message)
          is not distinct from (n.id_activity, n.jour_activite, n.date_debut, n.nom_affiche, n.sport_type, n.message)
)
union all
-- rows of the table that are no longer among the day's messages: removed by the post_hook
select
    p.id_activity,
    cast(null as date),
    cast(null as timestamp),
    cast(null as text),
    cast(null as text),
    cast(null as text)
from {{ this }} p
where not exists (select 1 from day_messages n where n.id_activity = p.id_activity)
{% else %}
select * from day_messages
{% endif %}
