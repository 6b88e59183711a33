{#- Monitoring facts per entity and day, from Datadog monitors and SLOs tagged
    `service:<datadog_service>` (the entity's `datadoghq.com/service-name` annotation, or
    its name).

    Monitors and SLOs come from the snapshot in force on the day. An SLO meets its target
    on a day when its SLI over its timeframe ending on that day (good / total events from
    the SLO history) is at least the target; an SLO without data in that timeframe counts
    as not meeting it (Datadog shows it as "no data", not as met). -#}
with

entities as (
    select evaluated_on, entity_ref, lower(datadog_service) as service_tag
    from {{ ref('int_catalog_entities_daily') }}
    where kind = 'component'
),

snapshot_days as (
    select evaluated_on, snapshot_on
    from {{ ref('int_provider_snapshot_days') }}
    where provider = 'datadog'
),

monitor_services as (
    select distinct tags.snapshot_on, tags.monitor_id, lower(tags.tag_value) as service_tag
    from {{ ref('stg_datadog__monitor_tags') }} as tags
    where tags.tag_key = 'service'
),

monitors as (
    select
        entities.evaluated_on,
        entities.entity_ref,
        count(distinct monitor_services.monitor_id) as monitor_count
    from entities
    inner join snapshot_days on snapshot_days.evaluated_on = entities.evaluated_on
    inner join monitor_services
        on monitor_services.snapshot_on = snapshot_days.snapshot_on
        and monitor_services.service_tag = entities.service_tag
    group by entities.evaluated_on, entities.entity_ref
),

slo_services as (
    select distinct tags.snapshot_on, tags.slo_id, lower(tags.tag_value) as service_tag
    from {{ ref('stg_datadog__slo_tags') }} as tags
    where tags.tag_key = 'service'
),

entity_slos as (
    select
        entities.evaluated_on,
        entities.entity_ref,
        slos.slo_id,
        slos.target_pct,
        slos.timeframe_days
    from entities
    inner join snapshot_days on snapshot_days.evaluated_on = entities.evaluated_on
    inner join slo_services
        on slo_services.snapshot_on = snapshot_days.snapshot_on
        and slo_services.service_tag = entities.service_tag
    inner join {{ ref('stg_datadog__slos') }} as slos
        on slos.snapshot_on = slo_services.snapshot_on and slos.slo_id = slo_services.slo_id
),

slo_status as (
    select
        entity_slos.evaluated_on,
        entity_slos.entity_ref,
        entity_slos.slo_id,
        entity_slos.target_pct,
        case when sum(history.total_events) > 0
            then 100.0 * sum(history.good_events) / sum(history.total_events)
        end as sli_pct
    from entity_slos
    left join {{ ref('stg_datadog__slo_history_daily') }} as history
        on history.slo_id = entity_slos.slo_id
        and history.day <= entity_slos.evaluated_on
        and history.day > {{ dbt.dateadd('day', '-entity_slos.timeframe_days', 'entity_slos.evaluated_on') }}
    group by
        entity_slos.evaluated_on, entity_slos.entity_ref, entity_slos.slo_id,
        entity_slos.target_pct
),

slos as (
    select
        evaluated_on,
        entity_ref,
        count(*) as slo_count,
        sum(case when sli_pct is null or sli_pct < target_pct then 1 else 0 end)
            as slos_below_target_count
    from slo_status
    group by evaluated_on, entity_ref
),

final as (
    select
        entities.evaluated_on,
        entities.entity_ref,
        coalesce(monitors.monitor_count, 0) as monitor_count,
        coalesce(slos.slo_count, 0) as slo_count,
        coalesce(slos.slos_below_target_count, 0) as slos_below_target_count
    from entities
    left join monitors
        on monitors.evaluated_on = entities.evaluated_on and monitors.entity_ref = entities.entity_ref
    left join slos
        on slos.evaluated_on = entities.evaluated_on and slos.entity_ref = entities.entity_ref
)

select * from final
