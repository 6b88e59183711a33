{{
    config(
        tags=['daily'],
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{% if is_incremental() %}delete from {{ this }} as existing where exists (select 1 from {{ ref('int_initiative_days') }} as rebuilt where rebuilt.invocation_id = '{{ invocation_id }}' and rebuilt.initiative_id = existing.initiative_id and rebuilt.evaluated_on = existing.evaluated_on){% endif %}",
    )
}}
{#- Every entity an initiative covers, per day, and whether it is done.

    In scope: the initiative's filter and teams select it (int_initiative_scope_daily),
    its scorecard evaluates it that day, and at least one target rule applies to it.
    Target rules: the listed rules (rule targets), or every rule at or below the target
    level in the definition evaluated that day (level targets).
    Done: no target rule is `fail` or `unknown` (pass, exempt and not_applicable all
    count as done; `unknown` is not done, as it blocks a level). For a level target this
    is exactly "holds the target level". Built for the (initiative, day) pairs of
    int_initiative_days. -#}
with

pairs as (
    select initiative_id, definition_hash, evaluated_on
    from {{ ref('int_initiative_days') }}
    {%- if is_incremental() %}
    where invocation_id = '{{ invocation_id }}'
    {%- endif %}
),

scope as (
    select scope.*
    from {{ ref('int_initiative_scope_daily') }} as scope
    inner join pairs
        on pairs.initiative_id = scope.initiative_id
        and pairs.definition_hash = scope.definition_hash
        and pairs.evaluated_on = scope.evaluated_on
),

initiatives as (
    select initiative_id, definition_hash, scorecard_id, target_type, target_level
    from {{ ref('int_initiatives_current') }}
),

target_rules as (
    select initiative_id, definition_hash, rule_id
    from {{ ref('stg_scorecards__initiative_rules') }}
),

levels as (
    select scorecard_id, definition_hash, level, level_rank
    from {{ ref('stg_scorecards__levels') }}
),

outcomes as (
    select
        outcomes.evaluated_on,
        outcomes.scorecard_id,
        outcomes.definition_hash,
        outcomes.rule_id,
        outcomes.entity_ref,
        outcomes.level_rank,
        outcomes.outcome
    from {{ ref('fct_rule_outcomes') }} as outcomes
    inner join (select distinct evaluated_on from scope) as days
        on days.evaluated_on = outcomes.evaluated_on
),

target_outcomes as (
    select
        scope.evaluated_on,
        scope.initiative_id,
        scope.definition_hash,
        scope.entity_ref,
        initiatives.scorecard_id,
        outcomes.rule_id,
        outcomes.outcome
    from scope
    inner join initiatives
        on initiatives.initiative_id = scope.initiative_id
        and initiatives.definition_hash = scope.definition_hash
    inner join outcomes
        on outcomes.evaluated_on = scope.evaluated_on
        and outcomes.entity_ref = scope.entity_ref
        and outcomes.scorecard_id = initiatives.scorecard_id
    {{ initiative_target_outcomes('scope') }}
),

per_entity as (
    select
        evaluated_on,
        initiative_id,
        definition_hash,
        scorecard_id,
        entity_ref,
        sum(case when outcome <> 'not_applicable' then 1 else 0 end) as target_rule_count,
        sum(case when outcome = 'pass' then 1 else 0 end) as passing_rule_count,
        sum(case when outcome = 'exempt' then 1 else 0 end) as exempt_rule_count,
        sum(case when outcome = 'fail' then 1 else 0 end) as failing_rule_count,
        sum(case when outcome = 'unknown' then 1 else 0 end) as unknown_rule_count
    from target_outcomes
    group by evaluated_on, initiative_id, definition_hash, scorecard_id, entity_ref
),

bounds as (
    select
        cast({{ dbt.dateadd('day', -1, 'min(evaluated_on)') }} as date) as first_day,
        max(evaluated_on) as last_day
    from scope
),

scores as (
    select scores.evaluated_on, scores.scorecard_id, scores.entity_ref, scores.level,
        scores.level_rank
    from {{ ref('fct_entity_scores') }} as scores
    inner join bounds
        on scores.evaluated_on >= bounds.first_day and scores.evaluated_on <= bounds.last_day
),

final as (
    select
        per_entity.evaluated_on,
        per_entity.initiative_id,
        per_entity.definition_hash,
        per_entity.scorecard_id,
        per_entity.entity_ref,
        scope.team_ref,
        scope.owner_ref,
        scope.domain_ref,
        cast(per_entity.target_rule_count as integer) as target_rule_count,
        cast(per_entity.passing_rule_count as integer) as passing_rule_count,
        cast(per_entity.exempt_rule_count as integer) as exempt_rule_count,
        cast(per_entity.failing_rule_count as integer) as failing_rule_count,
        cast(per_entity.unknown_rule_count as integer) as unknown_rule_count,
        cast(per_entity.failing_rule_count + per_entity.unknown_rule_count as integer)
            as remaining_rule_count,
        per_entity.failing_rule_count + per_entity.unknown_rule_count = 0 as is_done,
        today.level,
        today.level_rank,
        yesterday.level_rank as previous_level_rank,
        coalesce(today.level_rank < yesterday.level_rank, false) as dropped_level,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as evaluated_at,
        '{{ invocation_id }}' as invocation_id
    from per_entity
    inner join scope
        on scope.evaluated_on = per_entity.evaluated_on
        and scope.initiative_id = per_entity.initiative_id
        and scope.entity_ref = per_entity.entity_ref
    left join scores as today
        on today.evaluated_on = per_entity.evaluated_on
        and today.scorecard_id = per_entity.scorecard_id
        and today.entity_ref = per_entity.entity_ref
    left join scores as yesterday
        on yesterday.evaluated_on = cast({{ dbt.dateadd('day', -1, 'per_entity.evaluated_on') }} as date)
        and yesterday.scorecard_id = per_entity.scorecard_id
        and yesterday.entity_ref = per_entity.entity_ref
    where per_entity.target_rule_count > 0
)

select * from final
