{#- Where notifications to a team or a person go by email, as the identity source and the
    catalog stand now (latest snapshots).

    A team (catalog Group) is reached through its members: the ACTIVE users of its Okta
    group (annotation `okta.com/group-name`, else the group's name) when Okta is loaded and
    has that group with active members; else the catalog Users whose `spec.memberOf` lists
    the group (`spec.memberOf`, or the Group's `spec.members`); else the group's own
    `spec.profile.email` (a mailing list). A person (catalog User) is reached at the User's
    `spec.profile.email`. Each address is listed once per recipient, however many people
    share it (two Users with one mailbox get one message). Slack webhooks are secrets and
    are not here: see docs/initiatives.md. -#}
with

catalog_day as (
    select max(snapshot_on) as snapshot_on
    from {{ ref('int_source_snapshots') }}
    where source_name = 'catalog'
),

entities as (
    select entities.*
    from {{ ref('stg_catalog__entities') }} as entities
    inner join catalog_day on catalog_day.snapshot_on = entities.snapshot_on
),

groups as (
    select entities.entity_ref, entities.name, entities.email,
        coalesce(okta_names.annotation_value, entities.name) as okta_group_name
    from entities
    left join {{ ref('stg_catalog__annotations') }} as okta_names
        on okta_names.snapshot_on = entities.snapshot_on
        and okta_names.entity_ref = entities.entity_ref
        and okta_names.annotation_key = 'okta.com/group-name'
    where entities.kind = 'group'
),

okta_day as (
    select max(snapshot_on) as snapshot_on from {{ ref('stg_okta__snapshots') }}
),

okta_members as (
    select okta_groups.group_name, users.email, users.login
    from {{ ref('stg_okta__groups') }} as okta_groups
    inner join okta_day on okta_day.snapshot_on = okta_groups.snapshot_on
    inner join {{ ref('stg_okta__group_members') }} as members
        on members.snapshot_on = okta_groups.snapshot_on
        and members.group_id = okta_groups.group_id
    inner join {{ ref('stg_okta__users') }} as users
        on users.snapshot_on = members.snapshot_on and users.user_id = members.user_id
    where users.is_active and users.email is not null
),

from_okta as (
    select distinct
        groups.entity_ref as recipient_ref,
        'group' as recipient_kind,
        okta_members.email,
        okta_members.login as person,
        'okta' as source
    from groups
    inner join okta_members on okta_members.group_name = groups.okta_group_name
),

from_catalog_members as (
    select distinct
        groups.entity_ref as recipient_ref,
        'group' as recipient_kind,
        lower(users.email) as email,
        users.entity_ref as person,
        'catalog_member' as source
    from groups
    inner join {{ ref('stg_catalog__relations') }} as relations
        on relations.target_ref = groups.entity_ref and relations.relation = 'member_of'
    inner join catalog_day on catalog_day.snapshot_on = relations.snapshot_on
    inner join entities as users
        on users.entity_ref = relations.source_ref and users.kind = 'user'
    where users.email is not null
        and groups.entity_ref not in (select recipient_ref from from_okta)
),

from_group_email as (
    select
        groups.entity_ref as recipient_ref,
        'group' as recipient_kind,
        lower(groups.email) as email,
        groups.entity_ref as person,
        'group_email' as source
    from groups
    where groups.email is not null
        and groups.entity_ref not in (select recipient_ref from from_okta)
        and groups.entity_ref not in (select recipient_ref from from_catalog_members)
),

people as (
    select
        entity_ref as recipient_ref,
        'user' as recipient_kind,
        lower(email) as email,
        entity_ref as person,
        'catalog_user' as source
    from entities
    where kind = 'user' and email is not null
),

contacts as (
    select * from from_okta
    union all
    select * from from_catalog_members
    union all
    select * from from_group_email
    union all
    select * from people
),

-- one row per (recipient, address): the first person by name stands for those sharing it
final as (
    select
        recipient_ref,
        min(recipient_kind) as recipient_kind,
        email,
        min(person) as person,
        min(source) as source
    from contacts
    group by recipient_ref, email
)

select * from final
