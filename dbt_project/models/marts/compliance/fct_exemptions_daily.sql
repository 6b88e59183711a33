{{
    config(
        tags=['daily'],
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['evaluated_on'],
    )
}}
{#- Every exemption of the standards in force, on every evaluated day, with its status that
    day: `not_started` (day < starts_on), `active` (starts_on <= day < expires_on) or
    `expired` (day >= expires_on), and how many outcomes it turned `exempt`. Same window as
    fct_rule_outcomes; past days are kept as evidence, like the outcomes they explain. -#}
with

days as (
    {{ days_to_evaluate() }}
),

exemptions as (
    select * from {{ ref('stg_scorecards__exemptions') }}
),

outcomes as (
    select
        outcomes.evaluated_on,
        outcomes.scorecard_id,
        outcomes.rule_id,
        outcomes.entity_ref,
        outcomes.outcome
    from {{ ref('fct_rule_outcomes') }} as outcomes
    inner join days on days.evaluated_on = outcomes.evaluated_on
),

evaluated_entities as (
    select distinct evaluated_on, scorecard_id, entity_ref
    from outcomes
),

statuses as (
    select
        days.evaluated_on,
        exemptions.entity_ref,
        exemptions.scorecard_id,
        exemptions.rule_id,
        exemptions.reason,
        exemptions.requested_by,
        exemptions.approved_by,
        exemptions.starts_on,
        exemptions.expires_on,
        case
            when days.evaluated_on < exemptions.starts_on then 'not_started'
            when exemptions.expires_on is not null and days.evaluated_on >= exemptions.expires_on
                then 'expired'
            else 'active'
        end as status,
        exemptions.file,
        exemptions.line
    from days
    cross join exemptions
),

applied as (
    select
        statuses.evaluated_on,
        statuses.entity_ref,
        statuses.scorecard_id,
        statuses.rule_id,
        statuses.starts_on,
        count(*) as exempted_outcome_count
    from statuses
    inner join outcomes
        on outcomes.evaluated_on = statuses.evaluated_on
        and outcomes.entity_ref = statuses.entity_ref
        and outcomes.scorecard_id = statuses.scorecard_id
        and statuses.rule_id in (outcomes.rule_id, '*')
    where statuses.status = 'active' and outcomes.outcome = 'exempt'
    group by
        statuses.evaluated_on,
        statuses.entity_ref,
        statuses.scorecard_id,
        statuses.rule_id,
        statuses.starts_on
),

final as (
    select
        statuses.evaluated_on,
        statuses.entity_ref,
        statuses.scorecard_id,
        statuses.rule_id,
        statuses.reason,
        statuses.requested_by,
        statuses.approved_by,
        statuses.starts_on,
        statuses.expires_on,
        statuses.status,
        case
            when statuses.status = 'active' and statuses.expires_on is not null
                then cast({{ dbt.datediff('statuses.evaluated_on', 'statuses.expires_on', 'day') }} as integer)
        end as days_until_expiry,
        evaluated_entities.entity_ref is not null as entity_evaluated,
        cast(coalesce(applied.exempted_outcome_count, 0) as integer) as exempted_outcome_count,
        statuses.file,
        statuses.line
    from statuses
    left join evaluated_entities
        on evaluated_entities.evaluated_on = statuses.evaluated_on
        and evaluated_entities.scorecard_id = statuses.scorecard_id
        and evaluated_entities.entity_ref = statuses.entity_ref
    left join applied
        on applied.evaluated_on = statuses.evaluated_on
        and applied.entity_ref = statuses.entity_ref
        and applied.scorecard_id = statuses.scorecard_id
        and applied.rule_id = statuses.rule_id
        and applied.starts_on = statuses.starts_on
)

select * from final
