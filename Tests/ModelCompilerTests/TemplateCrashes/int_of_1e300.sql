select 1
{{ 1e300 | int }}
