{%- if x is defined and x > 1 -%} a {%- elif y -%} b {%- else -%} c {%- endif %}{# note #}
