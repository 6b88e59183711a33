{#- A fact's value when its source is fresh on the day, else NULL (unknown).

    `absent` is the value for an entity the fresh source has nothing on (no repository, no
    PagerDuty service, no monitor): 0 or false for counts and flags, so "none" is a fail
    rather than an unknown. Measurements (percentages, ages) have no absent value. -#}
{% macro fresh_fact(source_name, kind, expression, absent=none) -%}
    case when status.status_{{ source_name }}_{{ kind }} is null then
        {%- if absent is not none %} coalesce({{ expression }}, {{ absent }})
        {%- else %} {{ expression }}{% endif %}
    end
{%- endmacro %}
