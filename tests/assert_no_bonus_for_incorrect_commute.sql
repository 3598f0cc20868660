-- No commute bonus for a declaration flagged incorrect (implausible distance for the mode).
select b.id_salarie, b.moyen_deplacement, b.distance_domicile_km
from {{ ref('gold_sport_commute_bonus') }} b
join {{ ref('gold_incorrect_moyen_deplacement') }} i on i.id_salarie = b.id_salarie
union all
select id_salarie, moyen_deplacement, distance_domicile_km
from {{ ref('gold_sport_commute_bonus') }}
where (moyen_deplacement = 'Marche/running' and distance_domicile_km > {{ var('max_walking_km') }})
   or (moyen_deplacement = 'Vélo/Trottinette/Autres' and distance_domicile_km > {{ var('max_cycling_km') }})
