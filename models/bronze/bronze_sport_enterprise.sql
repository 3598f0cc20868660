-- Sport declarations; an empty cell (or the string 'NaN' of the original pipeline) becomes NULL.
select
    cast(id_salarie as integer) as id_salarie,
    case
        when pratique_sport is null then null
        when trim(pratique_sport) in ('', 'NaN', 'nan') then null
        else trim(pratique_sport)
    end as pratique_sport
from {{ ref('sport_enterprise') }}
