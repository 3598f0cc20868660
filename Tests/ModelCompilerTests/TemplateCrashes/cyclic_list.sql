select 1
{% set x = [1] %}{% do x.append(x) %}{{ x }}{{ x | tojson }}{{ x == x }}
