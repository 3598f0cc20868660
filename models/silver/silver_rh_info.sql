-- Employees without direct identifiers: pseudonymised display name (progressive disclosure),
-- commute distance instead of the address, no birth date.
with employees as (
    select * from {{ ref('bronze_rh_info') }}
),

-- candidate display forms, from the shortest (level 0) to three letters of the last name (level 3);
-- uniqueness is decided on the key (first name + the disclosed letters, case-insensitive); when the
-- last name has no more letters than disclosed, the form is the full name
candidates as (
    select id_salarie, 0 as level, lower(prenom) as disclosure_key, prenom as form from employees
    {%- for letters in [1, 2, 3] %}
    union all
    select
        id_salarie,
        {{ letters }},
        lower(prenom) || '|' || lower(left(nom, {{ letters }})),
        case
            when length(nom) <= {{ letters }} then prenom || ' ' || nom
            else prenom || ' ' || left(nom, {{ letters }}) || '.'
        end
    from employees
    {%- endfor %}
),

unique_forms as (
    select id_salarie, level, form
    from (
        select
            id_salarie, level, form,
            count(*) over (partition by level, disclosure_key) as holders
        from candidates
    ) counted
    where holders = 1
),

shortest as (
    select id_salarie, form
    from (
        select
            id_salarie, form,
            row_number() over (partition by id_salarie order by level) as rank_in_employee
        from unique_forms
    ) ranked
    where rank_in_employee = 1
)

select
    e.id_salarie,
    coalesce(s.form, e.prenom || ' ' || e.nom)  as nom_affiche,
    -- for public messages (Slack): never the last name; the first name alone when only the
    -- full name would tell the employee apart
    case
        when s.form is null or s.form = e.prenom || ' ' || e.nom then e.prenom
        else s.form
    end                                         as nom_public,
    e.bu,
    e.date_embauche,
    e.type_contrat,
    e.nb_jours_cp,
    e.salaire_brut,
    e.moyen_deplacement,
    d.distance_km                               as distance_domicile_km
from employees e
left join shortest s on s.id_salarie = e.id_salarie
left join {{ ref('bronze_distance_cache') }} d on d.adresse = e.adresse_domicile
