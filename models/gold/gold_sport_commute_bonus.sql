-- Sport commute bonus: 5% of the annual gross salary for plausible active commuters.
-- A declaration is plausible when the commute distance is known and within the mode's limit.
select
    id_salarie,
    nom_affiche,
    bu,
    moyen_deplacement,
    distance_domicile_km,
    salaire_brut,
    {{ commute_bonus_amount('salaire_brut') }}  as montant_prime
from {{ ref('silver_rh_info') }}
where moyen_deplacement in {{ active_commute_modes() }}
  and distance_domicile_km is not null
  and distance_domicile_km <= {{ max_plausible_commute_km('moyen_deplacement') }}
