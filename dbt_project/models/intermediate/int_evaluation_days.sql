{#- The days of the evaluation being built, one row each, with its request's settings.

    Besides the request's window, a day whose outcomes carry no evaluation record is
    evaluated again (`reevaluate`): a run killed after fct_rule_outcomes committed and
    before fct_evaluations did left outcomes that nothing records as evidence. Such a
    day is found by its outcomes' invocation, which has no row in fct_evaluations. The
    two marts are read by name, not `ref`: they are built from this model. -#}
{%- set outcomes = adapter.get_relation(
    database=this.database, schema='marts', identifier='fct_rule_outcomes') if execute -%}
{%- set evaluations = adapter.get_relation(
    database=this.database, schema='marts', identifier='fct_evaluations') if execute -%}
with

request as (
    select * from {{ ref('int_evaluation_request') }}
),

window_days as (
    {{ days_between('request') }}
),

unrecorded_days as (
    {%- if outcomes %}
    select distinct outcomes.evaluated_on as day
    from {{ outcomes }} as outcomes
    {%- if evaluations %}
    where not exists (
        select 1
        from {{ evaluations }} as evaluations
        where evaluations.evaluated_on = outcomes.evaluated_on
            and evaluations.invocation_id = outcomes.invocation_id
    )
    {%- endif %}
    {%- else %}
    select cast(null as date) as day
    where 1 = 0
    {%- endif %}
),

final as (
    select
        window_days.day,
        window_days.request_id,
        window_days.first_day,
        window_days.last_day,
        window_days.reevaluate or unrecorded_days.day is not null as reevaluate,
        window_days.freshness_days,
        window_days.trigger,
        window_days.triggered_by
    from window_days
    left join unrecorded_days on unrecorded_days.day = window_days.day
    union all
    select
        unrecorded_days.day,
        request.request_id,
        request.first_day,
        request.last_day,
        true as reevaluate,
        request.freshness_days,
        request.trigger,
        request.triggered_by
    from unrecorded_days
    cross join request
    where unrecorded_days.day not in (select window_days.day from window_days)
)

select * from final
