{#- Active members of each entity's owning group, per day, from the identity providers.

    A catalog Group maps to an Okta group by its annotation `okta.com/group-name` (Okta's
    `profile.name`), else by the same name; and to a GitHub team by `github.com/team-slug`.
    Okta is the identity provider of record when it is loaded: a group missing from Okta
    has 0 active members even if a GitHub team of that name exists. Without Okta, GitHub
    teams decide (every member of a team counts as active). -#}
with

entities as (
    select evaluated_on, entity_ref, team_ref
    from {{ ref('int_catalog_entities_daily') }}
    where team_ref is not null
),

group_keys as (
    select
        annotations.snapshot_on,
        annotations.entity_ref as team_ref,
        max(case when annotations.annotation_key = 'okta.com/group-name'
            then annotations.annotation_value end) as okta_group_name,
        max(case when annotations.annotation_key = 'github.com/team-slug'
            then lower(annotations.annotation_value) end) as github_team_slug
    from {{ ref('stg_catalog__annotations') }} as annotations
    where annotations.entity_ref like 'group:%'
    group by annotations.snapshot_on, annotations.entity_ref
),

teams as (
    select
        entities.evaluated_on,
        entities.entity_ref,
        entities.team_ref,
        coalesce(group_keys.okta_group_name, groups.name) as okta_group_name,
        group_keys.github_team_slug
    from entities
    inner join {{ ref('int_catalog_entities_daily') }} as groups
        on groups.evaluated_on = entities.evaluated_on
        and groups.entity_ref = entities.team_ref
    left join group_keys
        on group_keys.snapshot_on = groups.snapshot_on
        and group_keys.team_ref = entities.team_ref
),

snapshot_days as (
    select evaluated_on, provider, snapshot_on from {{ ref('int_provider_snapshot_days') }}
),

okta_active as (
    select
        groups.snapshot_on,
        groups.group_name,
        count(distinct case when users.is_active then users.user_id end) as active_members
    from {{ ref('stg_okta__groups') }} as groups
    left join {{ ref('stg_okta__group_members') }} as members
        on members.snapshot_on = groups.snapshot_on and members.group_id = groups.group_id
    left join {{ ref('stg_okta__users') }} as users
        on users.snapshot_on = members.snapshot_on and users.user_id = members.user_id
    group by groups.snapshot_on, groups.group_name
),

github_members as (
    select
        teams.snapshot_on,
        teams.team_slug,
        count(distinct members.login) as members
    from {{ ref('stg_github_teams__teams') }} as teams
    left join {{ ref('stg_github_teams__members') }} as members
        on members.snapshot_on = teams.snapshot_on and members.team_slug = teams.team_slug
    group by teams.snapshot_on, teams.team_slug
),

final as (
    select
        teams.evaluated_on,
        teams.entity_ref,
        case
            when okta_day.snapshot_on is not null then coalesce(okta_active.active_members, 0)
            else coalesce(github_members.members, 0)
        end as owner_active_member_count
    from teams
    left join snapshot_days as okta_day
        on okta_day.evaluated_on = teams.evaluated_on and okta_day.provider = 'okta'
    left join okta_active
        on okta_active.snapshot_on = okta_day.snapshot_on
        and okta_active.group_name = teams.okta_group_name
    left join snapshot_days as github_day
        on github_day.evaluated_on = teams.evaluated_on and github_day.provider = 'github_teams'
    left join github_members
        on github_members.snapshot_on = github_day.snapshot_on
        and github_members.team_slug = teams.github_team_slug
)

select * from final
