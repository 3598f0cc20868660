{#- The HR export's history (SCD type 2): a new version of an employee each time their business
    unit, commute mode, salary or contract changes in the export, and the current version closed
    when they leave it. Only what the bonus rules need: no name, birth date or address. -#}
{% snapshot hr_history %}
{{ config(
    unique_key='id_salarie',
    strategy='check',
    check_cols=['bu', 'moyen_deplacement', 'salaire_brut', 'type_contrat'],
    hard_deletes='invalidate'
) }}
{#- Read from the seed itself, with bronze_rh_info's cleaning, so `sqlt seed && sqlt snapshot`
    works before any model is built, as a dbt workflow runs it. #}
select
    cast("ID salarié" as integer)               as id_salarie,
    trim("BU")                                  as bu,
    trim("Moyen de déplacement")                as moyen_deplacement,
    cast("Salaire brut" as numeric(10, 2))      as salaire_brut,
    upper(trim("Type de contrat"))              as type_contrat
from {{ ref('rh_info') }}
{% endsnapshot %}
