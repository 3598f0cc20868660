-- HR export with clean types; the only model past the seed that still holds the address.
select
    cast(id_salarie as integer)                 as id_salarie,
    trim(nom)                                   as nom,
    trim(prenom)                                as prenom,
    cast(date_de_naissance as date)             as date_de_naissance,
    trim(bu)                                    as bu,
    cast(date_embauche as date)                 as date_embauche,
    cast(salaire_brut as numeric(10, 2))        as salaire_brut,
    upper(trim(type_contrat))                   as type_contrat,
    cast(nb_jours_cp as integer)                as nb_jours_cp,
    trim(adresse_domicile)                      as adresse_domicile,
    trim(moyen_deplacement)                     as moyen_deplacement
from {{ ref('rh_info') }}
