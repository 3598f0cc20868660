{% macro m(a, b=2) %}{{ a + b }}{% endmacro %}{{ m(1) }} {{ m(1, b=3) }}
