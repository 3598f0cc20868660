-- The reference day's activities as ready-to-post French messages, with the public pseudonym only
-- (never a last name: silver_rh_info.nom_public).
select
    a.id_activity,
    a.jour_activite,
    a.date_debut,
    r.nom_public as nom_affiche,
    a.sport_type,
    case
        when a.distance_m is not null then
            'Bravo ' || r.nom_public || ' : ' || {{ fr_km('a.distance_m') }} || ' km '
            || {{ sport_phrase('a.sport_type') }} || ' en ' || {{ fr_duration('a.date_debut', 'a.date_fin') }} || ' !'
        else
            'Bravo ' || r.nom_public || ' : ' || {{ fr_duration('a.date_debut', 'a.date_fin') }} || ' '
            || {{ sport_phrase('a.sport_type') }} || ' !'
    end as message
from {{ ref('silver_activities') }} a
join {{ ref('silver_rh_info') }} r on r.id_salarie = a.id_salarie
where a.jour_activite = {{ reference_date() }}
