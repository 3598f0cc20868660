-- Salaries appear in gold only in the models that compute a bonus.
-- The test runs after both of them: while one is being rebuilt, its temporary table
-- (<name>__sqlt_tmp_<id>, holding the salary) is in the schema, and a test reading the catalog
-- at that moment would see it.
-- depends_on: {{ ref('gold_sport_commute_bonus') }}
-- depends_on: {{ ref('gold_potential_moyen_deplac_bonus') }}
select table_schema, table_name, column_name
from information_schema.columns
where table_schema = '{{ target.schema }}_gold'
  and (column_name ilike '%salaire%' or column_name ilike '%salary%')
  and table_name not in ('gold_sport_commute_bonus', 'gold_potential_moyen_deplac_bonus')
