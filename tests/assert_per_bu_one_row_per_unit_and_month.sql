-- gold_sport_activities_per_bu holds exactly one row per business unit and month.
select bu, mois, count(*) as lignes
from {{ ref('gold_sport_activities_per_bu') }}
group by bu, mois
having count(*) > 1
