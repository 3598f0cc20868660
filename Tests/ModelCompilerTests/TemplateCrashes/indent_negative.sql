select 1
{{ 'a
b' | indent(-3) }}
