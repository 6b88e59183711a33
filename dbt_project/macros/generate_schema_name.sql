{#- Schemas are named exactly as configured (staging, intermediate, marts): the published
    warehouse is a public surface, and `marts.fct_rule_outcomes` must not depend on the
    target's default schema. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
