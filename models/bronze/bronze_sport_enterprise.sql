-- Sport declarations; an empty cell (or the string 'NaN' of the original pipeline) becomes NULL.
select
    cast("ID salarié" as integer) as id_salarie,
    case
        when "Pratique d'un sport" is null then null
        when trim("Pratique d'un sport") in ('', 'NaN', 'nan') then null
        else trim("Pratique d'un sport")
    end as pratique_sport
from {{ ref('sport_enterprise') }}
