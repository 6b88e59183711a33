{#- The sources facts can come from, as named in the fact registry (`meta.source`).
    Every one has a freshness status per day, whether or not it is configured. -#}
{% macro readiness_sources() -%}
    {{ return(['catalog', 'custom_data', 'identity', 'github', 'pagerduty', 'datadog', 'prometheus', 'coverage']) }}
{%- endmacro %}

{#- A source's freshness window in days: its override in var `source_freshness_days`, else
    `default_expression` (the evaluation request's window). -#}
{% macro source_freshness_days(source_name, default_expression) -%}
    {%- set overrides = var('source_freshness_days') or {} -%}
    {{ overrides[source_name] if source_name in overrides else default_expression }}
{%- endmacro %}

{#- The readiness source (as named by facts) that a loaded dlt source feeds: Okta and
    GitHub teams are both the `identity` source; the Backstage catalog API is the `catalog`
    source, as catalog files are. -#}
{% macro readiness_source_of(column) -%}
    case {{ column }}
        when 'okta' then 'identity'
        when 'github_teams' then 'identity'
        when 'backstage' then 'catalog'
        else {{ column }}
    end
{%- endmacro %}
