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

final as (
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
            as not_applicable_count,
        case when sum(case when outcomes.outcome in ('pass', 'fail', 'unknown') then 1 else 0 end) > 0
            then round(100.0 * sum(case when outcomes.outcome = 'pass' then 1 else 0 end)
                / sum(case when outcomes.outcome in ('pass', 'fail', 'unknown') then 1 else 0 end), 2)
        end as pass_rate_pct,
        case when sum(case when outcomes.outcome in ('pass', 'fail', 'unknown') then 1 else 0 end) > 0
            then round(100.0 * sum(case when outcomes.outcome = 'unknown' then 1 else 0 end)
                / sum(case when outcomes.outcome in ('pass', 'fail', 'unknown') then 1 else 0 end), 2)
        end as unknown_rate_pct
    from outcomes
    inner join scopes
        on scopes.evaluated_on = outcomes.evaluated_on and scopes.entity_ref = outcomes.entity_ref
    group by outcomes.evaluated_on, outcomes.scorecard_id, outcomes.rule_id, scopes.scope_type,
        scopes.scope_ref
)

select * from final
