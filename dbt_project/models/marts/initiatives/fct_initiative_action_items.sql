{{
    config(
        tags=['daily'],
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{% if is_incremental() %}delete from {{ this }} as existing where exists (select 1 from {{ ref('int_initiative_days') }} as rebuilt where rebuilt.invocation_id = '{{ invocation_id }}' and rebuilt.initiative_id = existing.initiative_id and rebuilt.evaluated_on = existing.evaluated_on){% endif %}",
    )
}}
{#- What is left to do, per initiative, day, entity and target rule: every target rule that
    is `fail` or `unknown` for an entity in scope, with the rule's remediation (as in the
    definition evaluated that day) and the reason the outcome gives. The same target
    selection as fct_initiative_entities_daily; built for the pairs of int_initiative_days. -#}
with

pairs as (
    select initiative_id, definition_hash, evaluated_on
    from {{ ref('int_initiative_days') }}
    {%- if is_incremental() %}
    where invocation_id = '{{ invocation_id }}'
    {%- endif %}
),

entities as (
    select entities.*
    from {{ ref('fct_initiative_entities_daily') }} as entities
    inner join pairs
        on pairs.initiative_id = entities.initiative_id
        and pairs.definition_hash = entities.definition_hash
        and pairs.evaluated_on = entities.evaluated_on
    where entities.remaining_rule_count > 0
),

initiatives as (
    select initiative_id, definition_hash, target_type, target_level
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

rules as (
    select scorecard_id, definition_hash, rule_id, name, level, points, remediation, position
    from {{ ref('stg_scorecards__rules') }}
),

outcomes as (
    select outcomes.*
    from {{ ref('fct_rule_outcomes') }} as outcomes
    inner join (select distinct evaluated_on from entities) as days
        on days.evaluated_on = outcomes.evaluated_on
    where outcomes.outcome in ('fail', 'unknown')
),

final as (
    select
        entities.evaluated_on,
        entities.initiative_id,
        entities.definition_hash,
        entities.scorecard_id,
        entities.entity_ref,
        entities.team_ref,
        outcomes.rule_id,
        rules.name as rule_name,
        outcomes.level,
        outcomes.level_rank,
        rules.points,
        outcomes.outcome,
        outcomes.reason,
        outcomes.fact_values,
        rules.remediation,
        rules.position as rule_position,
        '{{ invocation_id }}' as invocation_id
    from entities
    inner join initiatives
        on initiatives.initiative_id = entities.initiative_id
        and initiatives.definition_hash = entities.definition_hash
    inner join outcomes
        on outcomes.evaluated_on = entities.evaluated_on
        and outcomes.scorecard_id = entities.scorecard_id
        and outcomes.entity_ref = entities.entity_ref
    inner join rules
        on rules.scorecard_id = outcomes.scorecard_id
        and rules.definition_hash = outcomes.definition_hash
        and rules.rule_id = outcomes.rule_id
    {{ initiative_target_outcomes('entities') }}
)

select * from final
