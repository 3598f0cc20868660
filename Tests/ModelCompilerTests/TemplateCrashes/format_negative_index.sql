select 1
{{ '{-1}'.format(1) }}
