{#- Every successful snapshot of every loaded source, as (readiness source, provider,
    snapshot day, load). Okta and GitHub teams both feed the `identity` source; catalog
    files and the Backstage catalog API both feed the `catalog` source. -#}
{%- set providers = [
    'catalog', 'backstage', 'custom_data', 'github', 'github_teams', 'okta', 'pagerduty', 'datadog',
    'prometheus', 'coverage',
] -%}
with

{% for provider in providers %}
{{ provider }} as (
    select
        {{ readiness_source_of("'" ~ provider ~ "'") }} as source_name,
        '{{ provider }}' as provider,
        snapshot_on,
        load_id,
        loaded_at
    from {{ ref('stg_' ~ provider ~ '__snapshots') }}
),
{% endfor %}

final as (
    {% for provider in providers %}
    select * from {{ provider }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from final
