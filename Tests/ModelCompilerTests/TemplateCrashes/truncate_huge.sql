select 1
{{ 'abc' | truncate(9223372036854775807) }}
