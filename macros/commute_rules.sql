{#- Commute rules shared by the bonus models (DOMAIN.md). -#}

{% macro active_commute_modes() -%}
    ('Marche/running', 'Vélo/Trottinette/Autres')
{%- endmacro %}

{#- Maximum plausible distance (km) of an active commute mode; NULL for other modes. -#}
{% macro max_plausible_commute_km(mode) -%}
    case {{ mode }}
        when 'Marche/running' then {{ var('max_walking_km') }}
        when 'Vélo/Trottinette/Autres' then {{ var('max_cycling_km') }}
    end
{%- endmacro %}

{#- The bonus amount (rate of the annual gross salary), rounded to the cent. -#}
{% macro commute_bonus_amount(salary) -%}
    round(cast({{ salary }} as numeric) * {{ var('commute_bonus_rate') }}, 2)
{%- endmacro %}
