{{ config(materialized='view') }}
{#- Catalog entities per snapshot, with what the catalog says about them resolved:
    owner (an existing Group or User, as Backstage allows), team (the owning Group, or a
    User owner's Group), domain (through the System), outgoing dependencies on entities
    that exist, links by type, and the annotations that join them to other tools. -#}
with

entities as (
    select * from {{ ref('stg_catalog__entities') }}
),

relations as (
    select * from {{ ref('stg_catalog__relations') }}
),

links as (
    select * from {{ ref('stg_catalog__links') }}
),

annotations as (
    select * from {{ ref('stg_catalog__annotations') }}
),

-- A dependsOn naming an entity that is not in the catalog is a problem, not a dependency.
dependencies as (
    select
        relations.snapshot_on,
        relations.source_ref as entity_ref,
        count(distinct relations.target_ref) as dependency_count
    from relations
    inner join entities as targets
        on targets.snapshot_on = relations.snapshot_on
        and targets.entity_ref = relations.target_ref
    where relations.relation = 'depends_on'
    group by relations.snapshot_on, relations.source_ref
),

link_flags as (
    select
        snapshot_on,
        entity_ref,
        max(case when link_type = 'runbook' then 1 else 0 end) as has_runbook,
        max(case when link_type in ('logs', 'logging') then 1 else 0 end) as has_logs,
        max(case when link_type in ('dashboard', 'dashboards') then 1 else 0 end) as has_dashboard,
        max(case when link_type in ('chat', 'slack', 'teams', 'msteams', 'discord', 'mattermost')
            then 1 else 0 end) as has_chat,
        max(case when link_type = 'playbook' then 1 else 0 end) as has_playbook,
        max(case when link_type = 'runbook' then url end) as runbook_url,
        max(case when link_type in ('logs', 'logging') then url end) as logs_url,
        max(case when link_type in ('dashboard', 'dashboards') then url end) as dashboard_url,
        max(case when link_type in ('chat', 'slack', 'teams', 'msteams', 'discord', 'mattermost')
            then url end) as chat_url,
        max(case when link_type = 'playbook' then url end) as playbook_url,
        count(*) as link_count
    from links
    group by snapshot_on, entity_ref
),

annotation_values as (
    select
        snapshot_on,
        entity_ref,
        max(case when annotation_key = 'github.com/project-slug' then annotation_value end)
            as github_repo,
        max(case when annotation_key = 'pagerduty.com/service-id' then annotation_value end)
            as pagerduty_service_id,
        max(case when annotation_key = 'datadoghq.com/service-name' then annotation_value end)
            as datadog_service
    from annotations
    group by snapshot_on, entity_ref
),

owners as (
    select snapshot_on, entity_ref as owner_ref, kind as owner_entity_kind
    from entities
),

-- The Group a User belongs to (the first by ref when several): a User-owned entity rolls
-- up to that team.
user_groups as (
    select relations.snapshot_on, relations.source_ref as user_ref, min(relations.target_ref) as team_ref
    from relations
    inner join entities as groups
        on groups.snapshot_on = relations.snapshot_on
        and groups.entity_ref = relations.target_ref
        and groups.kind = 'group'
    where relations.relation = 'member_of' and relations.source_ref like 'user:%'
    group by relations.snapshot_on, relations.source_ref
),

single_parents as (
    select
        snapshot_on,
        source_ref as entity_ref,
        max(case when relation = 'subcomponent_of' then target_ref end) as parent_component_ref,
        max(case when relation = 'subdomain_of' then target_ref end) as parent_domain_ref
    from relations
    where relation in ('subcomponent_of', 'subdomain_of')
    group by snapshot_on, source_ref
),

parents as (
    select snapshot_on, source_ref as entity_ref, max(target_ref) as parent_ref
    from relations
    where relation = 'child_of'
    group by snapshot_on, source_ref
),

systems as (
    select snapshot_on, entity_ref as system_ref, domain_ref
    from entities
    where kind = 'system'
),

final as (
    select
        entities.snapshot_on,
        entities.entity_ref,
        entities.kind,
        entities.namespace,
        entities.name,
        entities.title,
        coalesce(entities.display_name, entities.title) as display_name,
        entities.description,
        entities.spec_type,
        entities.lifecycle,
        entities.tier_number as tier,
        entities.owner_ref,
        {{ dbt.split_part('entities.owner_ref', "':'", 1) }} as owner_kind,
        case
            when owners.owner_entity_kind = 'group' then entities.owner_ref
            when owners.owner_entity_kind = 'user' then user_groups.team_ref
        end as team_ref,
        case
            when entities.owner_ref is null then 'no spec.owner'
            when owners.owner_ref is null
                then 'owner ' || entities.owner_ref || ' is not in the catalog'
            when owners.owner_entity_kind not in ('group', 'user')
                then 'owner ' || entities.owner_ref || ' is a ' || owners.owner_entity_kind
                    || ', not a Group or a User'
        end as owner_catalog_problem,
        single_parents.parent_component_ref,
        single_parents.parent_domain_ref,
        entities.system_ref,
        coalesce(systems.domain_ref, case when entities.kind = 'system' then entities.domain_ref end)
            as domain_ref,
        coalesce(parents.parent_ref, entities.parent_ref) as parent_ref,
        entities.email,
        entities.provider,
        entities.file,
        entities.document_index,
        coalesce(owners.owner_entity_kind in ('group', 'user'), false) as owner_resolved,
        coalesce(dependencies.dependency_count, 0) as dependency_count,
        coalesce(link_flags.has_runbook, 0) = 1 as has_runbook_link,
        coalesce(link_flags.has_logs, 0) = 1 as has_logs_link,
        coalesce(link_flags.has_dashboard, 0) = 1 as has_dashboard_link,
        coalesce(link_flags.has_chat, 0) = 1 as has_chat_link,
        coalesce(link_flags.has_playbook, 0) = 1 as has_playbook_link,
        coalesce(link_flags.link_count, 0) as link_count,
        link_flags.runbook_url,
        link_flags.logs_url,
        link_flags.dashboard_url,
        link_flags.chat_url,
        link_flags.playbook_url,
        annotation_values.github_repo,
        annotation_values.pagerduty_service_id,
        coalesce(annotation_values.datadog_service, entities.name) as datadog_service
    from entities
    left join owners
        on owners.snapshot_on = entities.snapshot_on and owners.owner_ref = entities.owner_ref
    left join user_groups
        on user_groups.snapshot_on = entities.snapshot_on
        and user_groups.user_ref = entities.owner_ref
    left join single_parents
        on single_parents.snapshot_on = entities.snapshot_on
        and single_parents.entity_ref = entities.entity_ref
    left join systems
        on systems.snapshot_on = entities.snapshot_on and systems.system_ref = entities.system_ref
    left join parents
        on parents.snapshot_on = entities.snapshot_on and parents.entity_ref = entities.entity_ref
    left join dependencies
        on dependencies.snapshot_on = entities.snapshot_on
        and dependencies.entity_ref = entities.entity_ref
    left join link_flags
        on link_flags.snapshot_on = entities.snapshot_on
        and link_flags.entity_ref = entities.entity_ref
    left join annotation_values
        on annotation_values.snapshot_on = entities.snapshot_on
        and annotation_values.entity_ref = entities.entity_ref
)

select * from final
