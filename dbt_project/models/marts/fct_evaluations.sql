{{
    config(
        tags=['daily'],
        materialized='incremental',
        incremental_strategy='append',
    )
}}
{#- The record of every evaluation of a day: when, by what and whom, under which
    definition, and which definition it replaced. A day is evaluated once; any later
    evaluation of it is an explicit re-evaluation (a backfill), and shows here with the
    hash it replaced. Append-only: this table is never rewritten. -#}
with

written as (
    select distinct evaluated_on, scorecard_id, definition_hash
    from {{ ref('fct_rule_outcomes') }}
    where invocation_id = '{{ invocation_id }}'
),

{% if is_incremental() %}
previous as (
    select
        evaluated_on,
        scorecard_id,
        definition_hash,
        row_number() over (
            partition by evaluated_on, scorecard_id order by evaluated_at desc
        ) as recency
    from {{ this }}
),
{% endif %}

final as (
    select
        written.evaluated_on,
        written.scorecard_id,
        written.definition_hash,
        {% if is_incremental() -%}
        previous.definition_hash as previous_definition_hash,
        previous.evaluated_on is not null as is_reevaluation,
        {%- else -%}
        cast(null as varchar) as previous_definition_hash,
        false as is_reevaluation,
        {%- endif %}
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as evaluated_at,
        request.trigger,
        request.triggered_by,
        request.request_id,
        '{{ invocation_id }}' as invocation_id
    from written
    cross join {{ ref('int_evaluation_request') }} as request
    {% if is_incremental() -%}
    left join previous
        on previous.evaluated_on = written.evaluated_on
        and previous.scorecard_id = written.scorecard_id
        and previous.recency = 1
    {%- endif %}
)

select * from final
