-- HR export with clean types and snake_case names (the export's headers are French, with
-- accents and spaces); the only model past the seed that still holds the address.
select
    cast("ID salarié" as integer)               as id_salarie,
    trim("Nom")                                 as nom,
    trim("Prénom")                              as prenom,
    cast("Date de naissance" as date)           as date_de_naissance,
    trim("BU")                                  as bu,
    cast("Date d'embauche" as date)             as date_embauche,
    cast("Salaire brut" as numeric(10, 2))      as salaire_brut,
    upper(trim("Type de contrat"))              as type_contrat,
    cast("Nombre de jours de CP" as integer)    as nb_jours_cp,
    trim("Adresse du domicile")                 as adresse_domicile,
    trim("Moyen de déplacement")                as moyen_deplacement
from {{ ref('rh_info') }}
