select 1
{{ '%d' % 1e300 }}
