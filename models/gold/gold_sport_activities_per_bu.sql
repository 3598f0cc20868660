-- Activities per business unit over the last 12 months: from the day after the reference date
-- minus 12 months up to and including the reference date.
with window_activities as (
    select a.id_salarie, a.distance_m, a.duree_s
    from {{ ref('silver_activities') }} a
    where a.date_debut >= {{ reference_date() }} - interval '12 months' + interval '1 day'
      and a.date_debut < {{ reference_date() }} + interval '1 day'
),

business_units as (
    select distinct bu from {{ ref('silver_rh_info') }}
)

select
    b.bu,
    count(w.id_salarie)                                          as nb_activites,
    count(distinct w.id_salarie)                                 as nb_salaries_actifs,
    round(coalesce(sum(w.distance_m), 0) / 1000.0, 1)            as distance_totale_km,
    round(coalesce(sum(w.duree_s), 0) / 3600.0, 1)               as duree_totale_h,
    cast({{ reference_date() }} - interval '12 months' + interval '1 day' as date) as periode_debut,
    {{ reference_date() }}                                       as periode_fin
from business_units b
left join {{ ref('silver_rh_info') }} r on r.bu = b.bu
left join window_activities w on w.id_salarie = r.id_salarie
group by b.bu
