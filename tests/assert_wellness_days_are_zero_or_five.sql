-- Wellness days are only 0 or 5, and 5 exactly from 15 activities in the prime year on.
select id_salarie, nb_activites, wellness_days
from {{ ref('gold_sport_activities_prime_last_year') }}
where wellness_days not in (0, 5)
   or (nb_activites >= 15 and wellness_days <> 5)
   or (nb_activites < 15 and wellness_days <> 0)
   or nb_activites <= 3
