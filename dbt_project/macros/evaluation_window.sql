{#- The first and last day this invocation evaluates, as SQL date literals.
    Both default to the day the invocation started (UTC). -#}
{% macro evaluation_start() -%}
    cast('{{ var("start_date") or var("end_date") or run_started_at.strftime("%Y-%m-%d") }}' as date)
{%- endmacro %}

{% macro evaluation_end() -%}
    cast('{{ var("end_date") or var("start_date") or run_started_at.strftime("%Y-%m-%d") }}' as date)
{%- endmacro %}
