{{ config(tags=['daily']) }}
{#- Who moved most, as of the latest evaluated day: entities and teams (scopes) whose
    score rose or dropped most over 7, 30 and 90 days, and whether an entity lost or
    gained a level. One row per (scorecard, subject, window) that existed at both ends;
    rank_rise / rank_drop order the subjects within their kind and window. -#}
with

latest as (
    select scorecard_id, max(evaluated_on) as as_of
    from {{ ref('fct_entity_scores') }}
    group by scorecard_id
),

windows as (
    select 7 as window_days
    union all select 30
    union all select 90
),

entity_scores as (
    select evaluated_on, scorecard_id, entity_ref as subject_ref, score_pct, level, level_rank
    from {{ ref('fct_entity_scores') }}
),

scope_scores as (
    select evaluated_on, scorecard_id, scope_type || ':' || scope_ref as subject_ref,
        avg_score_pct as score_pct, scope_type
    from {{ ref('fct_scores_daily') }}
    where scope_type in ('domain', 'team', 'team_tree')
),

entity_moves as (
    select
        latest.as_of,
        windows.window_days,
        latest.scorecard_id,
        'entity' as subject_type,
        now_.subject_ref,
        then_.score_pct as score_then,
        now_.score_pct as score_now,
        now_.score_pct - then_.score_pct as score_change,
        then_.level as level_then,
        now_.level as level_now,
        now_.level_rank - then_.level_rank as level_change
    from latest
    cross join windows
    inner join entity_scores as now_
        on now_.scorecard_id = latest.scorecard_id and now_.evaluated_on = latest.as_of
    inner join entity_scores as then_
        on then_.scorecard_id = latest.scorecard_id
        and then_.subject_ref = now_.subject_ref
        and then_.evaluated_on = {{ dbt.dateadd('day', '-windows.window_days', 'latest.as_of') }}
),

scope_moves as (
    select
        latest.as_of,
        windows.window_days,
        latest.scorecard_id,
        now_.scope_type as subject_type,
        now_.subject_ref,
        then_.score_pct as score_then,
        now_.score_pct as score_now,
        now_.score_pct - then_.score_pct as score_change,
        cast(null as varchar) as level_then,
        cast(null as varchar) as level_now,
        cast(null as integer) as level_change
    from latest
    cross join windows
    inner join scope_scores as now_
        on now_.scorecard_id = latest.scorecard_id and now_.evaluated_on = latest.as_of
    inner join scope_scores as then_
        on then_.scorecard_id = latest.scorecard_id
        and then_.subject_ref = now_.subject_ref
        and then_.evaluated_on = {{ dbt.dateadd('day', '-windows.window_days', 'latest.as_of') }}
),

moves as (
    select * from entity_moves
    union all
    select * from scope_moves
),

final as (
    select
        cast(as_of as date) as as_of,
        window_days,
        scorecard_id,
        subject_type,
        subject_ref,
        score_then,
        score_now,
        {{ round_pct('score_change') }} as score_change,
        level_then,
        level_now,
        level_change,
        coalesce(level_change < 0, false) as lost_level,
        rank() over (
            partition by scorecard_id, subject_type, window_days
            order by score_change desc nulls last
        ) as rank_rise,
        rank() over (
            partition by scorecard_id, subject_type, window_days
            order by score_change asc nulls last
        ) as rank_drop
    from moves
)

select * from final
