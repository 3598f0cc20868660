-- Messages show the pseudonymised name only: never the last name (nor more of it than the
-- pseudonym discloses) unless the pseudonym is the full name; never a salary.
select m.id_activity, m.message
from {{ ref('gold_slack_message_activities') }} m
join {{ ref('silver_activities') }} a on a.id_activity = m.id_activity
join {{ ref('bronze_rh_info') }} e on e.id_salarie = a.id_salarie
where m.nom_affiche <> e.prenom || ' ' || e.nom
  and (
       position(lower(e.nom) in lower(m.message)) > 0
    or position(lower(e.prenom || ' ' || e.nom) in lower(m.message)) > 0
    or m.message not like 'Bravo ' || m.nom_affiche || ' : %'
  )
