{#- On-call facts per entity and day, from the PagerDuty service named by the entity's
    `pagerduty.com/service-id` annotation: escalation tiers (state, from the snapshot in
    force) and incidents created in the 14 days ending on the day (events). An entity
    without a PagerDuty service has 0 tiers and 0 incidents. -#}
with

entities as (
    select evaluated_on, entity_ref, pagerduty_service_id as service_id
    from {{ ref('int_catalog_entities_daily') }}
    where kind = 'component'
),

snapshot_days as (
    select evaluated_on, snapshot_on
    from {{ ref('int_provider_snapshot_days') }}
    where provider = 'pagerduty'
),

services as (
    select * from {{ ref('stg_pagerduty__services') }}
),

policies as (
    select * from {{ ref('stg_pagerduty__escalation_policies') }}
),

tiers as (
    select
        entities.evaluated_on,
        entities.entity_ref,
        entities.service_id,
        services.service_id is not null as pagerduty_service_found,
        coalesce(policies.escalation_rule_count, 0) as escalation_tier_count
    from entities
    left join snapshot_days on snapshot_days.evaluated_on = entities.evaluated_on
    left join services
        on services.snapshot_on = snapshot_days.snapshot_on
        and services.service_id = entities.service_id
    left join policies
        on policies.snapshot_on = snapshot_days.snapshot_on
        and policies.escalation_policy_id = services.escalation_policy_id
),

incidents as (
    select
        tiers.evaluated_on,
        tiers.entity_ref,
        count(incidents.incident_id) as incident_count_14d
    from tiers
    inner join {{ ref('stg_pagerduty__incidents') }} as incidents
        on incidents.service_id = tiers.service_id
        and incidents.created_at >= {{ dbt.dateadd('day', -13, 'tiers.evaluated_on') }}
        and incidents.created_at < {{ dbt.dateadd('day', 1, 'tiers.evaluated_on') }}
    group by tiers.evaluated_on, tiers.entity_ref
),

final as (
    select
        tiers.evaluated_on,
        tiers.entity_ref,
        tiers.pagerduty_service_found,
        tiers.escalation_tier_count,
        coalesce(incidents.incident_count_14d, 0) as incident_count_14d
    from tiers
    left join incidents
        on incidents.evaluated_on = tiers.evaluated_on
        and incidents.entity_ref = tiers.entity_ref
)

select * from final
