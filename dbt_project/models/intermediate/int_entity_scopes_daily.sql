{{ config(materialized="ephemeral") }}
{#- Which rollups each scored entity counts in on each day of the window: the organisation,
    its domain, its owning team (directly; a User owner's Group), and every group above that
    team (`team_tree`).
    Attribution is as it was on the day (owner and domain from that day's facts); the
    hierarchy above a team is the current one. -#}
with

days as (
    select day as evaluated_on from {{ ref('int_evaluation_days') }}
),

facts as (
    select facts.evaluated_on, facts.entity_ref, facts.domain_ref, facts.team_ref
    from {{ ref('fct_entity_facts') }} as facts
    inner join days on days.evaluated_on = facts.evaluated_on
),

organisation as (
    select evaluated_on, entity_ref, 'organisation' as scope_type, 'organisation' as scope_ref
    from facts
),

domains as (
    select evaluated_on, entity_ref, 'domain' as scope_type,
        coalesce(domain_ref, '(no domain)') as scope_ref
    from facts
),

teams as (
    select evaluated_on, entity_ref, 'team' as scope_type,
        coalesce(team_ref, '(owner not resolved)') as scope_ref
    from facts
),

team_trees as (
    select facts.evaluated_on, facts.entity_ref, 'team_tree' as scope_type,
        ancestry.ancestor_ref as scope_ref
    from facts
    inner join {{ ref('int_team_ancestry') }} as ancestry on ancestry.team_ref = facts.team_ref
),

final as (
    select * from organisation
    union all
    select * from domains
    union all
    select * from teams
    union all
    select * from team_trees
)

select * from final
