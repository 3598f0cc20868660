-- Every bonus (paid or potential) is 5% of the annual gross salary, to the cent.
select id_salarie, salaire_brut, montant_prime as amount
from {{ ref('gold_sport_commute_bonus') }}
where montant_prime is distinct from round(salaire_brut * 0.05, 2)
union all
select id_salarie, salaire_brut, prime_potentielle
from {{ ref('gold_potential_moyen_deplac_bonus') }}
where prime_potentielle is distinct from round(salaire_brut * 0.05, 2)
