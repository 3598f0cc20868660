-- Implausible active-commute declarations: walking/running over 15 km, cycling/scooter over 25 km.
select
    id_salarie,
    nom_affiche,
    bu,
    moyen_deplacement,
    distance_domicile_km,
    {{ max_plausible_commute_km('moyen_deplacement') }}   as distance_max_km,
    'incorrect'                                          as statut
from {{ ref('silver_rh_info') }}
where moyen_deplacement in {{ active_commute_modes() }}
  and distance_domicile_km > {{ max_plausible_commute_km('moyen_deplacement') }}
