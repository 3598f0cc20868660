select 1
{{ 'x' | center(9223372036854775807) }}
