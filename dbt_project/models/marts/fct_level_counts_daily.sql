{{
    config(
        tags=['daily'],
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['evaluated_on'],
    )
}}
{#- Per day, scorecard, scope and level: how many entities hold exactly that level
    (`level` NULL with rank 0: below the first level). Every level of the ladder has a
    row, zero included, so stacked charts keep their shape. -#}
with

scopes as (
    select * from {{ ref('int_entity_scopes_daily') }}
),

scores as (
    select scores.evaluated_on, scores.scorecard_id, scores.entity_ref, scores.level_rank,
        scores.definition_hash
    from {{ ref('fct_entity_scores') }} as scores
    inner join (select distinct evaluated_on from scopes) as days
        on days.evaluated_on = scores.evaluated_on
),

ladder as (
    select scorecard_id, definition_hash, level, level_rank
    from {{ ref('dim_levels') }}
    union all
    select distinct scorecard_id, definition_hash, cast(null as varchar) as level, 0 as level_rank
    from {{ ref('dim_levels') }}
),

groups as (
    select distinct scores.evaluated_on, scores.scorecard_id, scores.definition_hash,
        scopes.scope_type, scopes.scope_ref
    from scores
    inner join scopes
        on scopes.evaluated_on = scores.evaluated_on and scopes.entity_ref = scores.entity_ref
),

counts as (
    select scores.evaluated_on, scores.scorecard_id, scopes.scope_type, scopes.scope_ref,
        scores.level_rank, count(*) as entity_count
    from scores
    inner join scopes
        on scopes.evaluated_on = scores.evaluated_on and scopes.entity_ref = scores.entity_ref
    group by scores.evaluated_on, scores.scorecard_id, scopes.scope_type, scopes.scope_ref,
        scores.level_rank
),

final as (
    select
        groups.evaluated_on,
        groups.scorecard_id,
        groups.scope_type,
        groups.scope_ref,
        ladder.level,
        ladder.level_rank,
        cast(coalesce(counts.entity_count, 0) as integer) as entity_count
    from groups
    inner join ladder
        on ladder.scorecard_id = groups.scorecard_id
        and ladder.definition_hash = groups.definition_hash
    left join counts
        on counts.evaluated_on = groups.evaluated_on
        and counts.scorecard_id = groups.scorecard_id
        and counts.scope_type = groups.scope_type
        and counts.scope_ref = groups.scope_ref
        and counts.level_rank = ladder.level_rank
)

select * from final
