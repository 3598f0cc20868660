-- Messages show the public pseudonym only: never the last name (nor more of it than the pseudonym
-- discloses), even when the employee's own pseudonym would be the full name; never a salary.
select m.id_activity, m.message
from {{ ref('gold_slack_message_activities') }} m
join {{ ref('silver_activities') }} a on a.id_activity = m.id_activity
join {{ ref('bronze_rh_info') }} e on e.id_salarie = a.id_salarie
where position(lower(e.nom) in lower(m.message)) > 0
   or m.message not like 'Bravo ' || m.nom_affiche || ' : %'

