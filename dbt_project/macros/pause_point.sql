{#- A point where a kill-safety test can hold dbt (readiness.pause): renders nothing unless
    READINESS_PAUSE_AT names it, so an ordinary build runs no such statement. Used as a
    hook outside the model's transaction, after its commit. -#}
{% macro pause_point(name) -%}
    {%- if env_var('READINESS_PAUSE_AT', '') == name -%}
        select readiness_pause('{{ name }}')
    {%- endif -%}
{%- endmacro %}
