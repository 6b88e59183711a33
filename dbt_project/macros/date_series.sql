{#- One row per day from `start_expr` to `end_expr` inclusive, in a column `day`. -#}
{% macro date_series(start_expr, end_expr) -%}
    {{ return(adapter.dispatch('date_series', 'readiness')(start_expr, end_expr)) }}
{%- endmacro %}

{% macro default__date_series(start_expr, end_expr) -%}
    select cast(day as date) as day
    from generate_series({{ start_expr }}, {{ end_expr }}, interval '1 day') as series(day)
{%- endmacro %}

{% macro duckdb__date_series(start_expr, end_expr) -%}
    select cast(unnest(generate_series(
        cast({{ start_expr }} as timestamp), cast({{ end_expr }} as timestamp), interval '1 day'
    )) as date) as day
{%- endmacro %}
