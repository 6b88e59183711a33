-- depends_on: {{ ref('int_evaluation_days') }}
{{
    config(
        schema='intermediate',
        tags=['daily'],
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['initiative_id', 'evaluated_on'],
    )
}}
{#- The (initiative, day) pairs this invocation builds, one row each: every evaluated day
    from the initiative's start_date that has not been built for the initiative's current
    definition, plus the window's days when the evaluation re-evaluates.

    So a new initiative, or a changed one (new definition hash), gets its whole history
    from its start date, computed from the immutable outcomes of those days, and a pair
    already built is left alone. Every initiative model rebuilds exactly these pairs:
    it deletes their old rows first (pre-hook), then inserts the new ones. -#}
with

initiatives as (
    select initiative_id, definition_hash, start_date
    from {{ ref('int_initiatives_current') }}
),

evaluated_days as (
    select distinct evaluated_on from {{ ref('fct_entity_scores') }}
),

pairs as (
    select initiatives.initiative_id, initiatives.definition_hash, evaluated_days.evaluated_on
    from initiatives
    inner join evaluated_days on evaluated_days.evaluated_on >= initiatives.start_date
),

{% if is_incremental() %}
built as (
    select initiative_id, definition_hash, evaluated_on from {{ this }}
),

reevaluated_days as (
    select day as evaluated_on from {{ ref('int_evaluation_days') }} where reevaluate
),

to_build as (
    select pairs.*
    from pairs
    left join built
        on built.initiative_id = pairs.initiative_id
        and built.definition_hash = pairs.definition_hash
        and built.evaluated_on = pairs.evaluated_on
    where built.initiative_id is null
        or pairs.evaluated_on in (select evaluated_on from reevaluated_days)
),
{% else %}
to_build as (
    select * from pairs
),
{% endif %}

final as (
    select
        evaluated_on,
        initiative_id,
        definition_hash,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as evaluated_at,
        '{{ invocation_id }}' as invocation_id
    from to_build
)

select * from final
