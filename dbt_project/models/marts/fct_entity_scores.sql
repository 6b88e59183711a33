{{
    config(
        tags=['daily'],
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['evaluated_on'],
    )
}}
{#- Score and level of every (day, scorecard, entity).

    score_pct = points of `pass` / points of rules that are neither exempt nor
    not_applicable, as a percentage (NULL when no rule applies). `unknown` counts as not
    passed. The ladder is cumulative: an entity holds a level when every applicable,
    non-exempt rule at that level and every lower one passes; a `fail` or an `unknown`
    blocks. `level` is NULL below the first level. `potential_level` is the level the
    entity would hold if every `unknown` turned out to pass. -#}
with

days as (
    {{ days_to_evaluate() }}
),

outcomes as (
    select outcomes.*
    from {{ ref('fct_rule_outcomes') }} as outcomes
    inner join days on days.evaluated_on = outcomes.evaluated_on
),

levels as (
    select scorecard_id, definition_hash, level, level_rank
    from {{ ref('stg_scorecards__levels') }}
),

ladder as (
    select scorecard_id, definition_hash, max(level_rank) as top_rank
    from levels
    group by scorecard_id, definition_hash
),

per_entity as (
    select
        evaluated_on,
        scorecard_id,
        definition_hash,
        entity_ref,
        cast(sum(points_earned) as integer) as points_earned,
        cast(sum(points_possible) as integer) as points_possible,
        cast(count(*) as integer) as rule_count,
        cast(sum(case when outcome = 'pass' then 1 else 0 end) as integer) as pass_count,
        cast(sum(case when outcome = 'fail' then 1 else 0 end) as integer) as fail_count,
        cast(sum(case when outcome = 'unknown' then 1 else 0 end) as integer) as unknown_count,
        cast(sum(case when outcome = 'exempt' then 1 else 0 end) as integer) as exempt_count,
        cast(sum(case when outcome = 'not_applicable' then 1 else 0 end) as integer) as not_applicable_count,
        min(case when outcome in ('fail', 'unknown') then level_rank end) as first_blocked_rank,
        min(case when outcome = 'fail' then level_rank end) as first_failed_rank
    from outcomes
    group by evaluated_on, scorecard_id, definition_hash, entity_ref
),

ranked as (
    select
        per_entity.*,
        coalesce(per_entity.first_blocked_rank - 1, ladder.top_rank) as level_rank,
        coalesce(per_entity.first_failed_rank - 1, ladder.top_rank) as potential_level_rank
    from per_entity
    inner join ladder
        on ladder.scorecard_id = per_entity.scorecard_id
        and ladder.definition_hash = per_entity.definition_hash
),

final as (
    select
        ranked.evaluated_on,
        ranked.scorecard_id,
        ranked.entity_ref,
        case
            when ranked.points_possible > 0
                then {{ round_pct('100.0 * ranked.points_earned / ranked.points_possible') }}
        end as score_pct,
        current_level.level,
        ranked.level_rank,
        potential_level.level as potential_level,
        next_level.level as next_level,
        ranked.points_earned,
        ranked.points_possible,
        ranked.rule_count,
        ranked.pass_count,
        ranked.fail_count,
        ranked.unknown_count,
        ranked.exempt_count,
        ranked.not_applicable_count,
        ranked.definition_hash
    from ranked
    left join levels as current_level
        on current_level.scorecard_id = ranked.scorecard_id
        and current_level.definition_hash = ranked.definition_hash
        and current_level.level_rank = ranked.level_rank
    left join levels as potential_level
        on potential_level.scorecard_id = ranked.scorecard_id
        and potential_level.definition_hash = ranked.definition_hash
        and potential_level.level_rank = ranked.potential_level_rank
    left join levels as next_level
        on next_level.scorecard_id = ranked.scorecard_id
        and next_level.definition_hash = ranked.definition_hash
        and next_level.level_rank = ranked.level_rank + 1
)

select * from final
