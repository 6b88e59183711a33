{{
    config(
        tags=['daily'],
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['evaluated_on'],
    )
}}
{#- Per day, scorecard, rule and scope: the outcome counts and the pass and unknown rates
    (over outcomes that count: pass, fail, unknown). The heat map's cells. -#}
with

scopes as (
    select * from {{ ref('int_entity_scopes_daily') }}
),

outcomes as (
    select outcomes.evaluated_on, outcomes.scorecard_id, outcomes.rule_id,
        outcomes.entity_ref, outcomes.outcome
    from {{ ref('fct_rule_outcomes') }} as outcomes
    inner join (select distinct evaluated_on from scopes) as days
        on days.evaluated_on = outcomes.evaluated_on
),

counts as (
    select
        outcomes.evaluated_on,
        outcomes.scorecard_id,
        outcomes.rule_id,
        scopes.scope_type,
        scopes.scope_ref,
        cast(sum(case when outcomes.outcome = 'pass' then 1 else 0 end) as integer) as pass_count,
        cast(sum(case when outcomes.outcome = 'fail' then 1 else 0 end) as integer) as fail_count,
        cast(sum(case when outcomes.outcome = 'unknown' then 1 else 0 end) as integer)
            as unknown_count,
        cast(sum(case when outcomes.outcome = 'exempt' then 1 else 0 end) as integer)
            as exempt_count,
        cast(sum(case when outcomes.outcome = 'not_applicable' then 1 else 0 end) as integer)
            as not_applicable_count
    from outcomes
    inner join scopes
        on scopes.evaluated_on = outcomes.evaluated_on and scopes.entity_ref = outcomes.entity_ref
    group by outcomes.evaluated_on, outcomes.scorecard_id, outcomes.rule_id, scopes.scope_type,
        scopes.scope_ref
),

final as (
    select
        counts.*,
        case when pass_count + fail_count + unknown_count > 0
            then {{ round_pct('100.0 * pass_count / (pass_count + fail_count + unknown_count)') }}
        end as pass_rate_pct,
        case when pass_count + fail_count + unknown_count > 0
            then {{ round_pct('100.0 * unknown_count / (pass_count + fail_count + unknown_count)') }}
        end as unknown_rate_pct
    from counts
)

select * from final
