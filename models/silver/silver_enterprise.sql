-- Sport declarations joined to the employees (every employee, declared sport or NULL).
select
    r.id_salarie,
    r.nom_affiche,
    r.bu,
    s.pratique_sport,
    s.pratique_sport is not null as declare_un_sport
from {{ ref('silver_rh_info') }} r
left join {{ ref('bronze_sport_enterprise') }} s on s.id_salarie = r.id_salarie
