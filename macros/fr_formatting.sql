{#- French number and duration formatting for the ready-to-post messages. -#}

{% macro fr_decimal(expr, digits=1) -%}
    replace(to_char(round(cast({{ expr }} as numeric), {{ digits }}), rpad('FM999999990.', {{ 12 + digits }}, '0')), '.', ',')
{%- endmacro %}

{% macro fr_km(distance_m) -%}
    {{ fr_decimal('(' ~ distance_m ~ ') / 1000.0', 1) }}
{%- endmacro %}

{#- "54 min" under an hour, "1 h 05" from an hour on (rounded to the minute). -#}
{% macro fr_duration(start_ts, end_ts) -%}
    case
        when round(extract(epoch from ({{ end_ts }}) - ({{ start_ts }})) / 60.0) < 60
            then cast(cast(round(extract(epoch from ({{ end_ts }}) - ({{ start_ts }})) / 60.0) as integer) as text) || ' min'
        else cast(cast(floor(round(extract(epoch from ({{ end_ts }}) - ({{ start_ts }})) / 60.0) / 60) as integer) as text)
            || ' h '
            || lpad(cast(cast(mod(cast(round(extract(epoch from ({{ end_ts }}) - ({{ start_ts }})) / 60.0) as integer), 60) as integer) as text), 2, '0')
    end
{%- endmacro %}

{#- The French phrase of a sport, with its article ("de course à pied", "d'escalade"). -#}
{% macro sport_phrase(sport) -%}
    case {{ sport }}
        when 'Runing' then 'de course à pied'
        when 'Randonnée' then 'de randonnée'
        when 'Tennis' then 'de tennis'
        when 'Natation' then 'de natation'
        when 'Football' then 'de football'
        when 'Rugby' then 'de rugby'
        when 'Badminton' then 'de badminton'
        when 'Voile' then 'de voile'
        when 'Judo' then 'de judo'
        when 'Boxe' then 'de boxe'
        when 'Escalade' then 'd''escalade'
        when 'Triathlon' then 'de triathlon'
        when 'Équitation' then 'd''équitation'
        when 'Tennis de table' then 'de tennis de table'
        when 'Basketball' then 'de basketball'
        else 'de sport'
    end
{%- endmacro %}
