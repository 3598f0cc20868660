{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='id_salarie',
        on_schema_change='fail',
        post_hook="delete from {{ this }} where annee_prime <> {{ var('prime_year') }} or nb_activites < {{ var('prime_min_activities') }}"
    )
}}
-- depends_on: {{ ref('bronze_sport_activities') }}
-- (read only by incremental runs: the versions an activity had before its latest load)
-- Employees with more than 3 activities in the prime year (var prime_year), with their
-- wellness days.
-- Incremental by employee (and year): an incremental run recounts only the affected employees,
-- each from all their activities of the year, never by adding to the old count:
--   * the employees of every version of an activity loaded since the table's latest load
--     (derniere_charge): the new version and the ones it replaced, so a correction that moves an
--     activity to another employee or year recounts both sides;
--   * listed employees whose display name or business unit changed, or who left the HR export;
--   * employees not listed (new in the HR export, or below the threshold: few activities each);
--   * every employee when the table holds another prime year (var prime_year changed).
-- An affected employee below the threshold (or gone from the HR export, counted 0) is written
-- too, so delete+insert replaces the old row, then the post_hook deletes it in the same
-- transaction: an employee who drops below the threshold disappears, as in a full refresh.
{%- set year_start = "make_date(" ~ var('prime_year') ~ ", 1, 1)" %}
{%- set year_end = "make_date(" ~ var('prime_year') ~ " + 1, 1, 1)" %}
with
{% if is_incremental() %}
changed_activities as (
    select distinct id_activity
    from {{ ref('silver_activities') }}
    where loaded_at >= (select coalesce(max(derniere_charge), cast('1900-01-01' as timestamp)) from {{ this }})
),

affected as (
    select b.id_salarie
    from {{ ref('bronze_sport_activities') }} b
    join changed_activities c on c.id_activity = b.id_activity
    where b.date_debut >= {{ year_start }} and b.date_debut < {{ year_end }}
    union
    select p.id_salarie
    from {{ this }} p
    left join {{ ref('silver_rh_info') }} r on r.id_salarie = p.id_salarie
    where r.id_salarie is null or (r.nom_affiche, r.bu) is distinct from (p.nom_affiche, p.bu)
    union
    select r.id_salarie
    from {{ ref('silver_rh_info') }} r
    where not exists (select 1 from {{ this }} p where p.id_salarie = r.id_salarie)
       or exists (select 1 from {{ this }} p where p.annee_prime <> {{ var('prime_year') }})
),
{% endif %}

yearly as (
    select id_salarie, count(*) as nb_activites, max(loaded_at) as derniere_charge
    from {{ ref('silver_activities') }}
    where date_debut >= {{ year_start }}
      and date_debut < {{ year_end }}
      {% if is_incremental() %}and id_salarie in (select id_salarie from affected){% endif %}
    group by id_salarie
),

counted as (
    {% if is_incremental() %}
    select
        a.id_salarie,
        case when r.id_salarie is null then 0 else coalesce(y.nb_activites, 0) end as nb_activites,
        y.derniere_charge
    from affected a
    left join yearly y on y.id_salarie = a.id_salarie
    left join {{ ref('silver_rh_info') }} r on r.id_salarie = a.id_salarie
    {% else %}
    select y.id_salarie, y.nb_activites, y.derniere_charge
    from yearly y
    where y.nb_activites >= {{ var('prime_min_activities') }}
    {% endif %}
)

select
    c.id_salarie,
    r.nom_affiche,
    r.bu,
    {{ var('prime_year') }}                                      as annee_prime,
    cast(c.nb_activites as integer)                              as nb_activites,
    case
        when c.nb_activites >= {{ var('wellness_min_activities') }} then {{ var('wellness_days') }}
        else 0
    end                                                          as wellness_days,
    c.derniere_charge
from counted c
{% if is_incremental() %}left {% endif %}join {{ ref('silver_rh_info') }} r on r.id_salarie = c.id_salarie
