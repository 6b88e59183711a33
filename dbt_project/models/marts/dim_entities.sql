{#- Every catalog entity ever seen, described as in its latest snapshot. -#}
with

entities as (
    select * from {{ ref('int_catalog_entities') }}
),

seen as (
    select entity_ref, min(snapshot_on) as first_seen_on, max(snapshot_on) as last_seen_on
    from entities
    group by entity_ref
),

latest_snapshot as (
    select max(snapshot_on) as snapshot_on from entities
),

final as (
    select
        entities.entity_ref,
        entities.kind,
        entities.namespace,
        entities.name,
        entities.title,
        entities.display_name,
        entities.description,
        entities.spec_type as entity_type,
        entities.lifecycle,
        entities.tier,
        entities.owner_ref,
        entities.owner_kind,
        entities.owner_resolved,
        entities.team_ref,
        entities.system_ref,
        entities.domain_ref,
        entities.parent_component_ref,
        entities.parent_domain_ref,
        entities.github_repo,
        entities.pagerduty_service_id,
        entities.datadog_service,
        entities.runbook_url,
        entities.logs_url,
        entities.dashboard_url,
        entities.chat_url,
        entities.playbook_url,
        entities.provider,
        entities.file as source_file,
        entities.document_index as source_document_index,
        seen.first_seen_on,
        seen.last_seen_on,
        seen.last_seen_on = latest_snapshot.snapshot_on as is_current
    from entities
    inner join seen
        on seen.entity_ref = entities.entity_ref and seen.last_seen_on = entities.snapshot_on
    cross join latest_snapshot
)

select * from final
