select 1
{{ {'a': 1} | tojson(-1) }}
