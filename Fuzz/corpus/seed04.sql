{{ d | tojson(2) }} {{ d.items() | list }} {{ xs | join(', ') }} {{ 'a,b'.split(',') }}
