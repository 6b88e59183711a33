{#- A percentage rounded to two decimals, as double precision on every backend
    (PostgreSQL has no round(double, int), and its numeric would print 100.00). -#}
{% macro round_pct(expression) -%}
    cast(round(cast({{ expression }} as numeric(38, 10)), 2) as double precision)
{%- endmacro %}
