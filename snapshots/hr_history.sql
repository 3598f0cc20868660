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
select
    id_salarie,
    bu,
    moyen_deplacement,
    salaire_brut,
    type_contrat
from {{ ref('bronze_rh_info') }}
{% endsnapshot %}
