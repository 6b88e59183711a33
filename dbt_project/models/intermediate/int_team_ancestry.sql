{#- Every team with each of its ancestors, itself included (distance 0): the bridge that
    rolls a team's services up to every group above it, as the hierarchy stands now. -#}
with recursive

teams as (
    select team_ref, parent_ref from {{ ref('dim_teams') }}
),

ancestry as (
    select team_ref, team_ref as ancestor_ref, 0 as distance
    from teams
    union all
    select ancestry.team_ref, teams.parent_ref as ancestor_ref, ancestry.distance + 1
    from ancestry
    inner join teams on teams.team_ref = ancestry.ancestor_ref
    where teams.parent_ref is not null and ancestry.distance < 20
),

final as (
    select distinct team_ref, ancestor_ref, distance from ancestry
)

select * from final
