-- A pseudonymised display name designates one employee, unless two employees share the full name.
select r.nom_affiche, count(*) as employees, count(distinct lower(e.prenom || ' ' || e.nom)) as full_names
from {{ ref('silver_rh_info') }} r
join {{ ref('bronze_rh_info') }} e on e.id_salarie = r.id_salarie
group by r.nom_affiche
having count(*) > 1 and count(distinct lower(e.prenom || ' ' || e.nom)) > 1
