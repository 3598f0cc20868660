-- No address (nor birth date, nor raw name) column in the silver and gold schemas.
select table_schema, table_name, column_name
from information_schema.columns
where table_schema in ('{{ target.schema }}_silver', '{{ target.schema }}_gold')
  and (
       column_name ilike '%adresse%'
    or column_name ilike '%address%'
    or column_name in ('date_de_naissance', 'nom', 'prenom')
  )
