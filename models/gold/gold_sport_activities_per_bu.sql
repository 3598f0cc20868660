{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['bu', 'mois'],
        on_schema_change='fail',
        post_hook="delete from {{ this }} where periode_fin <> {{ reference_date() }} or effectif = 0"
    )
}}
-- depends_on: {{ ref('bronze_sport_activities') }}
-- (read only by incremental runs: the versions an activity had before its latest load)
-- Activities per business unit and month over the last 12 months: from the day after the
-- reference date minus 12 months up to and including the reference date. One row per business
-- unit of the HR export and calendar month overlapping that window (13 months: the first and the
-- last are partial, only their days inside the window count), zeros for a month without activity.
-- An activity counts for its employee's current business unit (silver_rh_info).
-- Incremental by business unit and month: an incremental run recomputes, each from all its
-- activities, only the affected groups:
--   * the groups of every version of an activity loaded since the table's latest load
--     (derniere_charge): the new version and the ones it replaced;
--   * every month of a business unit whose employees changed (empreinte_effectif, a digest of
--     the unit's employee ids, differs): an employee who moves from one unit to another takes
--     their activities with them, so both units are recomputed;
--   * every group when the window moved (the table was built for another reference date);
-- a unit that left the HR export comes with effectif 0, and the post_hook deletes its rows and the
-- rows of an older window in the same transaction. The result equals a full refresh.
{%- set window_start = "cast(" ~ reference_date() ~ " - interval '12 months' + interval '1 day' as date)" %}
{%- set window_end = reference_date() %}
with business_units as (
    select
        bu,
        count(*)                                                          as effectif,
        md5(string_agg(cast(id_salarie as text), ',' order by id_salarie)) as empreinte_effectif
    from {{ ref('silver_rh_info') }}
    group by bu
),

months as (
    select cast(m as date) as mois
    from generate_series(
        date_trunc('month', {{ window_start }}), date_trunc('month', {{ window_end }}), interval '1 month'
    ) m
),

{% if is_incremental() %}
changed_activities as (
    select distinct id_activity
    from {{ ref('silver_activities') }}
    where loaded_at >= (select coalesce(max(derniere_charge), cast('1900-01-01' as timestamp)) from {{ this }})
),

groups as (
    select r.bu, cast(date_trunc('month', b.date_debut) as date) as mois
    from {{ ref('bronze_sport_activities') }} b
    join changed_activities c on c.id_activity = b.id_activity
    join {{ ref('silver_rh_info') }} r on r.id_salarie = b.id_salarie
    where b.date_debut >= {{ window_start }}
      and b.date_debut < {{ window_end }} + interval '1 day'
    union
    select u.bu, m.mois
    from business_units u
    cross join months m
    where not exists (
            select 1 from {{ this }} p where p.bu = u.bu and p.empreinte_effectif = u.empreinte_effectif
          )
       or exists (select 1 from {{ this }} p where p.periode_fin <> {{ window_end }})
    union
    select p.bu, p.mois
    from {{ this }} p
    where not exists (select 1 from business_units u where u.bu = p.bu)
),
{% else %}
groups as (
    select u.bu, m.mois from business_units u cross join months m
),
{% endif %}

-- per employee first, so the distinct count of active employees is a plain count (a hash
-- aggregate instead of sorting every activity of the window)
employee_months as (
    select
        r.bu,
        cast(date_trunc('month', a.date_debut) as date) as mois,
        a.id_salarie,
        count(*)                                        as nb_activites,
        sum(a.distance_m)                               as distance_m,
        sum(a.duree_s)                                  as duree_s,
        max(a.loaded_at)                                as derniere_charge
    from {{ ref('silver_activities') }} a
    join {{ ref('silver_rh_info') }} r on r.id_salarie = a.id_salarie
    where a.date_debut >= {{ window_start }}
      and a.date_debut < {{ window_end }} + interval '1 day'
      {% if is_incremental() %}
      and (r.bu, cast(date_trunc('month', a.date_debut) as date)) in (select bu, mois from groups)
      {% endif %}
    group by 1, 2, 3
),

monthly as (
    select
        bu,
        mois,
        cast(sum(nb_activites) as bigint)               as nb_activites,
        count(*)                                        as nb_salaries_actifs,
        sum(distance_m)                                 as distance_m,
        sum(duree_s)                                    as duree_s,
        max(derniere_charge)                            as derniere_charge
    from employee_months
    group by 1, 2
)

select
    g.bu,
    g.mois,
    coalesce(m.nb_activites, 0)                                  as nb_activites,
    coalesce(m.nb_salaries_actifs, 0)                            as nb_salaries_actifs,
    round(coalesce(m.distance_m, 0) / 1000.0, 1)                 as distance_totale_km,
    round(coalesce(m.duree_s, 0) / 3600.0, 1)                    as duree_totale_h,
    {{ window_start }}                                           as periode_debut,
    {{ window_end }}                                             as periode_fin,
    cast(coalesce(u.effectif, 0) as integer)                     as effectif,
    u.empreinte_effectif,
    m.derniere_charge
from groups g
left join business_units u on u.bu = g.bu
left join monthly m on m.bu = g.bu and m.mois = g.mois
