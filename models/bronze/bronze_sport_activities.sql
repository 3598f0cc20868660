{{ config(meta={'retention': {'field': 'date_debut', 'keep': '7 years'}}) }}
-- Activity landing table with clean types; every load is kept (re-loads repeat id_activity).
select
    cast(id_activity as bigint)             as id_activity,
    cast(id_salarie as integer)             as id_salarie,
    cast(date_debut as timestamp)           as date_debut,
    case
        when sport_type is null then null
        when trim(sport_type) in ('', 'NaN', 'nan') then null
        else trim(sport_type)
    end                                     as sport_type,
    cast(distance_m as integer)             as distance_m,
    cast(date_fin as timestamp)             as date_fin,
    nullif(trim(commentaire), '')           as commentaire,
    cast(loaded_at as timestamp)            as loaded_at
from {{ ref('sport_activities') }}
