{#- Active members of each entity's owner, per day, resolved as Backstage resolves owners.

    An owner is a Group or a User of the catalog. Which source says who is an active
    member, for the day (`owner_member_source`):
      - `okta` when Okta is loaded (a snapshot on or before the day): a Group's members
        are the ACTIVE users of the Okta group named by its `okta.com/group-name`
        annotation (else its name); a User counts 1 when the Okta user with its
        `spec.profile.email` (or login) is ACTIVE. Okta is the identity provider of
        record: a group missing from Okta has 0 active members.
      - `github_teams` when only GitHub teams are loaded: a Group's members are those of
        the team named by `github.com/team-slug` (every member counts as active); a User
        owner counts 1 (GitHub has no account status to read).
      - `catalog` when no identity source is loaded: a Group's members are the catalog
        Users that are its members (`User.spec.memberOf` or `Group.spec.members`); a User
        owner counts 1.
    `owner_member_problem` says why the count is 0. -#}
with

entities as (
    select evaluated_on, snapshot_on, entity_ref, owner_ref
    from {{ ref('int_catalog_entities_daily') }}
    where owner_resolved
),

owner_entities as (
    select evaluated_on, snapshot_on, entity_ref, kind, name, lower(email) as email
    from {{ ref('int_catalog_entities_daily') }}
    where kind in ('group', 'user')
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

owners as (
    select
        entities.evaluated_on,
        entities.entity_ref,
        entities.owner_ref,
        owner_entities.kind as owner_kind,
        owner_entities.email as owner_email,
        coalesce(group_keys.okta_group_name, owner_entities.name) as okta_group_name,
        group_keys.github_team_slug
    from entities
    inner join owner_entities
        on owner_entities.evaluated_on = entities.evaluated_on
        and owner_entities.entity_ref = entities.owner_ref
    left join group_keys
        on group_keys.snapshot_on = owner_entities.snapshot_on
        and group_keys.team_ref = entities.owner_ref
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

okta_users as (
    select snapshot_on, email as address, max(status) as status, max(case when is_active then 1 else 0 end) as active
    from {{ ref('stg_okta__users') }}
    where email is not null
    group by snapshot_on, email
    union all
    select snapshot_on, login as address, max(status) as status, max(case when is_active then 1 else 0 end) as active
    from {{ ref('stg_okta__users') }}
    where login is not null and (email is null or login <> email)
    group by snapshot_on, login
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

catalog_members as (
    select
        groups.evaluated_on,
        groups.entity_ref as group_ref,
        count(distinct users.entity_ref) as members
    from owner_entities as groups
    inner join {{ ref('stg_catalog__relations') }} as relations
        on relations.snapshot_on = groups.snapshot_on
        and relations.target_ref = groups.entity_ref
        and relations.relation = 'member_of'
    inner join owner_entities as users
        on users.evaluated_on = groups.evaluated_on
        and users.entity_ref = relations.source_ref
        and users.kind = 'user'
    where groups.kind = 'group'
    group by groups.evaluated_on, groups.entity_ref
),

counted as (
    select
        owners.evaluated_on,
        owners.entity_ref,
        owners.owner_ref,
        owners.owner_kind,
        case
            when okta_day.snapshot_on is not null then 'okta'
            when github_day.snapshot_on is not null then 'github_teams'
            else 'catalog'
        end as owner_member_source,
        case
            when okta_day.snapshot_on is not null and owners.owner_kind = 'group'
                then coalesce(okta_active.active_members, 0)
            when okta_day.snapshot_on is not null then coalesce(okta_users.active, 0)
            when owners.owner_kind = 'user' then 1
            when github_day.snapshot_on is not null then coalesce(github_members.members, 0)
            else coalesce(catalog_members.members, 0)
        end as owner_active_member_count,
        okta_active.group_name is not null as okta_group_found,
        okta_users.status as okta_user_status,
        github_members.team_slug is not null as github_team_found,
        owners.okta_group_name,
        owners.github_team_slug
    from owners
    left join snapshot_days as okta_day
        on okta_day.evaluated_on = owners.evaluated_on and okta_day.provider = 'okta'
    left join okta_active
        on okta_active.snapshot_on = okta_day.snapshot_on
        and okta_active.group_name = owners.okta_group_name
        and owners.owner_kind = 'group'
    left join okta_users
        on okta_users.snapshot_on = okta_day.snapshot_on
        and okta_users.address = owners.owner_email
        and owners.owner_kind = 'user'
    left join snapshot_days as github_day
        on github_day.evaluated_on = owners.evaluated_on and github_day.provider = 'github_teams'
    left join github_members
        on github_members.snapshot_on = github_day.snapshot_on
        and github_members.team_slug = owners.github_team_slug
    left join catalog_members
        on catalog_members.evaluated_on = owners.evaluated_on
        and catalog_members.group_ref = owners.owner_ref
),

final as (
    select
        evaluated_on,
        entity_ref,
        owner_member_source,
        owner_active_member_count,
        case when owner_active_member_count = 0 then
            case
                when owner_member_source = 'okta' and owner_kind = 'user'
                    then 'owner ' || owner_ref || coalesce(
                        ' is ' || okta_user_status || ' in okta, not ACTIVE',
                        ' has no okta user with its spec.profile.email')
                when owner_member_source = 'okta' and okta_group_found
                    then 'owner ' || owner_ref || ': okta group ' || okta_group_name
                        || ' has no ACTIVE member'
                when owner_member_source = 'okta'
                    then 'owner ' || owner_ref || ': no okta group named '
                        || coalesce(okta_group_name, '?')
                        || ' (set the okta.com/group-name annotation)'
                when owner_member_source = 'github_teams' and github_team_found
                    then 'owner ' || owner_ref || ': GitHub team ' || github_team_slug
                        || ' has no member'
                when owner_member_source = 'github_teams'
                    then 'owner ' || owner_ref || ': no GitHub team '
                        || coalesce(github_team_slug, '(no github.com/team-slug annotation)')
                else 'owner ' || owner_ref || ' has no member in the catalog (no User lists it '
                    || 'in spec.memberOf, and its spec.members is empty)'
            end
        end as owner_member_problem
    from counted
)

select * from final
