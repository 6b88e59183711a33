{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['evaluated_on'],
    )
}}
{#- One row per (entity, day) and one typed column per fact: the contract between
    ingestion and rules. A fact is NULL when it is unknown: its source never loaded, is
    stale, or has no value for this entity. `status_<source>_state|event` say why. -#}
{%- set custom_facts = var('custom_data_facts') -%}
with

days as (
    {{ days_to_evaluate() }}
),

entities as (
    select entities.*
    from {{ ref('int_catalog_entities_daily') }} as entities
    inner join days on days.evaluated_on = entities.evaluated_on
),

status as (
    select
        evaluated_on
        {%- for source_name in readiness_sources() %},
        max(case when source_name = '{{ source_name }}' then state_reason end)
            as status_{{ source_name }}_state,
        max(case when source_name = '{{ source_name }}' then event_reason end)
            as status_{{ source_name }}_event
        {%- endfor %}
    from {{ ref('int_source_status_daily') }}
    group by evaluated_on
),

custom_data as (
    select * from {{ ref('int_custom_data_facts_daily') }}
),

joined as (
    select
        entities.evaluated_on,
        entities.entity_ref,

        -- catalog
        entities.kind,
        entities.spec_type as entity_type,
        entities.lifecycle,
        entities.tier,
        entities.system_ref,
        entities.domain_ref,
        entities.owner_ref,
        case when status.status_catalog_state is null then entities.owner_resolved end
            as owner_resolved,
        case when status.status_catalog_state is null then entities.dependency_count end
            as dependency_count,
        case when status.status_catalog_state is null then entities.has_runbook_link end
            as has_runbook_link,
        case when status.status_catalog_state is null then entities.has_logs_link end
            as has_logs_link,
        case when status.status_catalog_state is null then entities.has_dashboard_link end
            as has_dashboard_link,
        case when status.status_catalog_state is null then entities.has_chat_link end
            as has_chat_link,
        case when status.status_catalog_state is null then entities.has_playbook_link end
            as has_playbook_link,
        case when status.status_catalog_state is null then entities.link_count end
            as link_count,
        entities.github_repo,
        entities.pagerduty_service_id,
        entities.datadog_service,

        -- custom data
        {%- for fact, spec in custom_facts.items() %}
        {%- if spec.type == 'boolean' %}
        case when status.status_custom_data_state is null
            then coalesce(custom_data.{{ fact }}, 0) = 1 end as {{ fact }},
        {%- else %}
        case when status.status_custom_data_state is null
            then custom_data.{{ fact }} end as {{ fact }},
        {%- endif %}
        {%- endfor %}

        -- identity (source not built yet: unknown until it is)
        cast(null as integer) as owner_active_member_count,

        -- github
        cast(null as boolean) as branch_protected,
        cast(null as integer) as required_approving_review_count,
        cast(null as boolean) as ci_configured,
        cast(null as integer) as open_critical_high_vulnerability_count,
        cast(null as integer) as days_since_last_commit,

        -- pagerduty
        cast(null as integer) as escalation_tier_count,
        cast(null as integer) as incident_count_14d,

        -- datadog
        cast(null as integer) as monitor_count,
        cast(null as integer) as slo_count,
        cast(null as integer) as slos_below_target_count,

        -- coverage
        cast(null as double precision) as code_coverage_pct,

        -- source status on this day (NULL = fresh)
        {%- for source_name in readiness_sources() %}
        status.status_{{ source_name }}_state,
        status.status_{{ source_name }}_event{{ "," if not loop.last }}
        {%- endfor %}
    from entities
    left join status on status.evaluated_on = entities.evaluated_on
    left join custom_data
        on custom_data.evaluated_on = entities.evaluated_on
        and custom_data.entity_ref = entities.entity_ref
),

final as (
    select {{ select_documented_columns('joined') }}
    from joined
)

select * from final
