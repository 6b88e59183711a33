{{
    config(
        tags=['daily'],
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['evaluated_on'],
        on_schema_change='append_new_columns',
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

identity as (
    select * from {{ ref('int_identity_facts_daily') }}
),

github as (
    select * from {{ ref('int_github_facts_daily') }}
),

pagerduty as (
    select * from {{ ref('int_pagerduty_facts_daily') }}
),

datadog as (
    select * from {{ ref('int_datadog_facts_daily') }}
),

prometheus as (
    select * from {{ ref('int_prometheus_facts_daily') }}
),

coverage as (
    select * from {{ ref('int_coverage_facts_daily') }}
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
        case when status.status_catalog_state is null then entities.team_ref end as team_ref,
        case when status.status_catalog_state is null then entities.owner_kind end as owner_kind,
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
            and not coalesce(custom_data.{{ fact }}_refused, false)
            then coalesce(custom_data.{{ fact }}, 0) = 1 end as {{ fact }},
        {%- else %}
        case when status.status_custom_data_state is null
            then custom_data.{{ fact }} end as {{ fact }},
        {%- endif %}
        {%- endfor %}

        -- identity: members of a resolved owner. The identity source counts when one is
        -- loaded (and must then be fresh); without one, the catalog's own memberships.
        case when entities.owner_resolved then
            case when identity.owner_member_source = 'catalog'
                then {{ fresh_fact('catalog', 'state', 'identity.owner_active_member_count', '0') }}
                else {{ fresh_fact('identity', 'state', 'identity.owner_active_member_count', '0') }}
            end
        end as owner_active_member_count,
        case when entities.owner_resolved then
            case when identity.owner_member_source = 'catalog'
                then {{ fresh_fact('catalog', 'state', 'identity.owner_member_source') }}
                else {{ fresh_fact('identity', 'state', 'identity.owner_member_source') }}
            end
        end as owner_member_source,
        -- why owner facts fail (shown as the reason of a failing rule that reads them)
        case when status.status_catalog_state is null then
            coalesce(entities.owner_catalog_problem, identity.owner_member_problem)
        end as owner_problem,

        -- git host
        {{ fresh_fact('github', 'state', 'github.repository_found', 'false') }} as repository_found,
        {{ fresh_fact('github', 'state', 'github.branch_protected', 'false') }} as branch_protected,
        {{ fresh_fact('github', 'state', 'github.required_approving_review_count', '0') }}
            as required_approving_review_count,
        {{ fresh_fact('github', 'state', 'github.ci_configured', 'false') }} as ci_configured,
        {{ fresh_fact('github', 'event', 'github.open_critical_high_vulnerability_count', '0') }}
            as open_critical_high_vulnerability_count,
        {{ fresh_fact('github', 'event', 'github.days_since_last_commit') }}
            as days_since_last_commit,

        -- on-call
        {{ fresh_fact('pagerduty', 'state', 'pagerduty.pagerduty_service_found', 'false') }}
            as pagerduty_service_found,
        {{ fresh_fact('pagerduty', 'state', 'pagerduty.escalation_tier_count', '0') }}
            as escalation_tier_count,
        {{ fresh_fact('pagerduty', 'event', 'pagerduty.incident_count_14d', '0') }}
            as incident_count_14d,

        -- monitoring and SLOs
        {{ fresh_fact('datadog', 'state', 'datadog.monitor_count', '0') }} as monitor_count,
        {{ fresh_fact('datadog', 'state', 'datadog.slo_count', '0') }} as slo_count,
        {{ fresh_fact('datadog', 'event', 'datadog.slos_below_target_count', '0') }}
            as slos_below_target_count,
        {{ fresh_fact('prometheus', 'event', 'prometheus.sli_availability_30d_pct') }}
            as sli_availability_30d_pct,

        -- coverage
        {{ fresh_fact('coverage', 'state', 'coverage.has_coverage_report', 'false') }}
            as has_coverage_report,
        {{ fresh_fact('coverage', 'state', 'coverage.code_coverage_pct') }} as code_coverage_pct,

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
    left join identity
        on identity.evaluated_on = entities.evaluated_on
        and identity.entity_ref = entities.entity_ref
    left join github
        on github.evaluated_on = entities.evaluated_on
        and github.entity_ref = entities.entity_ref
    left join pagerduty
        on pagerduty.evaluated_on = entities.evaluated_on
        and pagerduty.entity_ref = entities.entity_ref
    left join datadog
        on datadog.evaluated_on = entities.evaluated_on
        and datadog.entity_ref = entities.entity_ref
    left join prometheus
        on prometheus.evaluated_on = entities.evaluated_on
        and prometheus.entity_ref = entities.entity_ref
    left join coverage
        on coverage.evaluated_on = entities.evaluated_on
        and coverage.entity_ref = entities.entity_ref
),

final as (
    select {{ select_documented_columns('joined') }}
    from joined
)

select * from final
