{{
    config(
        tags=['daily'],
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['evaluated_on'],
    )
}}
{#- The trend of every rollup: per day, scorecard and scope (organisation, domain, team,
    team_tree), how many entities, their average score, the points-weighted score, how
    many reach no level, and the outcome mix with pass and unknown rates. -#}
with

scopes as (
    select * from {{ ref('int_entity_scopes_daily') }}
),

scores as (
    select scores.*
    from {{ ref('fct_entity_scores') }} as scores
    inner join (select distinct evaluated_on from scopes) as days
        on days.evaluated_on = scores.evaluated_on
),

final as (
    select
        scores.evaluated_on,
        scores.scorecard_id,
        scopes.scope_type,
        scopes.scope_ref,
        cast(count(*) as integer) as entity_count,
        {{ round_pct('avg(scores.score_pct)') }} as avg_score_pct,
        case when sum(scores.points_possible) > 0
            then {{ round_pct('100.0 * sum(scores.points_earned) / sum(scores.points_possible)') }}
        end as points_score_pct,
        cast(sum(case when scores.level is null then 1 else 0 end) as integer)
            as entities_without_level,
        cast(sum(scores.pass_count) as integer) as pass_count,
        cast(sum(scores.fail_count) as integer) as fail_count,
        cast(sum(scores.unknown_count) as integer) as unknown_count,
        cast(sum(scores.exempt_count) as integer) as exempt_count,
        case when sum(scores.pass_count + scores.fail_count + scores.unknown_count) > 0
            then {{ round_pct('100.0 * sum(scores.pass_count) / sum(scores.pass_count + scores.fail_count + scores.unknown_count)') }}
        end as pass_rate_pct,
        case when sum(scores.pass_count + scores.fail_count + scores.unknown_count) > 0
            then {{ round_pct('100.0 * sum(scores.unknown_count) / sum(scores.pass_count + scores.fail_count + scores.unknown_count)') }}
        end as unknown_rate_pct
    from scores
    inner join scopes
        on scopes.evaluated_on = scores.evaluated_on and scopes.entity_ref = scores.entity_ref
    group by scores.evaluated_on, scores.scorecard_id, scopes.scope_type, scopes.scope_ref
)

select * from final
