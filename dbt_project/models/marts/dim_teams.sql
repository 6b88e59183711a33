{#- Teams (catalog Groups) with their place in the hierarchy, as in the latest snapshot.
    `path` runs from the root group down to the team, separated by " > ". -#}
with recursive

groups as (
    select *
    from {{ ref('dim_entities') }}
    where kind = 'group'
),

entities as (
    select * from {{ ref('int_catalog_entities') }}
),

latest_groups as (
    select entities.entity_ref, entities.parent_ref
    from entities
    inner join groups
        on groups.entity_ref = entities.entity_ref and groups.last_seen_on = entities.snapshot_on
),

hierarchy as (
    select
        entity_ref,
        entity_ref as root_ref,
        0 as depth,
        cast(entity_ref as varchar) as path_refs
    from latest_groups
    where parent_ref is null or parent_ref not in (select entity_ref from latest_groups)
    union all
    select
        child.entity_ref,
        hierarchy.root_ref,
        hierarchy.depth + 1,
        cast(hierarchy.path_refs || ' > ' || child.entity_ref as varchar)
    from latest_groups as child
    inner join hierarchy on child.parent_ref = hierarchy.entity_ref
    where hierarchy.depth < 20
),

members as (
    select relations.target_ref as team_ref, count(distinct relations.source_ref) as member_count
    from {{ ref('stg_catalog__relations') }} as relations
    inner join groups
        on groups.entity_ref = relations.target_ref and groups.last_seen_on = relations.snapshot_on
    inner join {{ ref('dim_entities') }} as users
        on users.entity_ref = relations.source_ref
        and users.kind = 'user'
        and users.last_seen_on = relations.snapshot_on
    where relations.relation = 'member_of'
    group by relations.target_ref
),

owned as (
    select team_ref, count(*) as owned_entity_count
    from {{ ref('dim_entities') }}
    where is_current and team_ref is not null and kind <> 'group'
    group by team_ref
),

final as (
    select
        groups.entity_ref as team_ref,
        groups.name,
        groups.display_name as title,
        groups.entity_type as team_type,
        latest_groups.parent_ref,
        hierarchy.root_ref,
        hierarchy.depth,
        hierarchy.path_refs as path,
        coalesce(members.member_count, 0) as catalog_member_count,
        coalesce(owned.owned_entity_count, 0) as owned_entity_count,
        groups.is_current
    from groups
    inner join latest_groups on latest_groups.entity_ref = groups.entity_ref
    left join hierarchy on hierarchy.entity_ref = groups.entity_ref
    left join members on members.team_ref = groups.entity_ref
    left join owned on owned.team_ref = groups.entity_ref
)

select * from final
