select 1
{{ '1' | int(base=99) }}
