-- What-if: employees who do not commute actively but live under 25 km from the office,
-- with the 5% bonus they would earn.
select
    id_salarie,
    nom_affiche,
    bu,
    moyen_deplacement,
    distance_domicile_km,
    salaire_brut,
    {{ commute_bonus_amount('salaire_brut') }}  as prime_potentielle
from {{ ref('silver_rh_info') }}
where moyen_deplacement not in {{ active_commute_modes() }}
  and distance_domicile_km < {{ var('potential_bonus_max_km') }}
