{#- Helpers that turn a compiled rule (a row of int_rules_current) into SQL.

    `facts_spec` is the compiled list "fact:source:kind,..." written by
    readiness.scorecards: the facts a condition references and where each comes from. -#}

{% macro rule_dialect() -%}
    {{ return('duckdb' if target.type == 'duckdb' else 'postgres') }}
{%- endmacro %}

{% macro parse_facts_spec(facts_spec) -%}
    {%- set parsed = [] -%}
    {%- for item in (facts_spec or '').split(',') if item -%}
        {%- set parts = item.split(':') -%}
        {%- do parsed.append({'fact': parts[0], 'source': parts[1], 'kind': parts[2]}) -%}
    {%- endfor -%}
    {{ return(parsed) }}
{%- endmacro %}

{#- Why a condition is unknown: each missing fact with its source's status, or "no value". -#}
{% macro missing_facts_reason(facts_spec, alias='f') -%}
    {%- set facts = parse_facts_spec(facts_spec) -%}
    {%- if facts | length == 0 -%}
        cast(null as varchar)
    {%- else -%}
    concat_ws('; '
    {%- for item in facts %},
        case when {{ alias }}.{{ item.fact }} is null then '{{ item.fact }}: ' || coalesce(
            {{ alias }}.status_{{ item.source }}_{{ item.kind }},
            'no value from source {{ item.source }} for this entity') end
    {%- endfor %})
    {%- endif -%}
{%- endmacro %}

{#- The values of the facts a rule read, as evidence: "fact=value, ...". -#}
{% macro fact_values_text(facts_spec, alias='f') -%}
    {%- set facts = parse_facts_spec(facts_spec) -%}
    {%- if facts | length == 0 -%}
        cast(null as varchar)
    {%- else -%}
    concat_ws(', '
    {%- for item in facts %},
        '{{ item.fact }}=' || coalesce(cast({{ alias }}.{{ item.fact }} as varchar), 'unknown')
    {%- endfor %})
    {%- endif -%}
{%- endmacro %}

{#- Why a condition is false, when the facts it read say so: the documented columns of
    fct_entity_facts whose `meta.explains` lists one of those facts (owner_problem explains
    owner_resolved, ...), joined with "; ". NULL when none applies. -#}
{% macro failure_reason(facts_spec, alias='f') -%}
    {%- set facts = parse_facts_spec(facts_spec) | map(attribute='fact') | list -%}
    {%- set explaining = [] -%}
    {%- if execute -%}
        {%- set node = graph.nodes.get('model.' ~ project_name ~ '.fct_entity_facts') -%}
        {%- for name, column in (node.columns if node else {}).items() -%}
            {%- set meta = column.get('meta') or (column.get('config') or {}).get('meta') or {} -%}
            {%- for fact in meta.get('explains') or [] -%}
                {%- if fact in facts and name not in explaining -%}
                    {%- do explaining.append(name) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if explaining | length == 0 -%}
        cast(null as varchar)
    {%- else -%}
        nullif(concat_ws('; '{% for name in explaining %}, {{ alias }}.{{ name }}{% endfor %}), '')
    {%- endif -%}
{%- endmacro %}
