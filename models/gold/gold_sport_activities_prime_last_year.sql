-- Employees with more than 3 activities in the prime year (var prime_year), with their
-- wellness days. Rebuilt as a table on every run, so employees below the threshold disappear.
with yearly as (
    select id_salarie, count(*) as nb_activites
    from {{ ref('silver_activities') }}
    where date_debut >= make_date({{ var('prime_year') }}, 1, 1)
      and date_debut < make_date({{ var('prime_year') }} + 1, 1, 1)
    group by id_salarie
)

select
    y.id_salarie,
    r.nom_affiche,
    r.bu,
    {{ var('prime_year') }}                                      as annee_prime,
    cast(y.nb_activites as integer)                              as nb_activites,
    case
        when y.nb_activites >= {{ var('wellness_min_activities') }} then {{ var('wellness_days') }}
        else 0
    end                                                          as wellness_days
from yearly y
join {{ ref('silver_rh_info') }} r on r.id_salarie = y.id_salarie
where y.nb_activites >= {{ var('prime_min_activities') }}
