{#- The ladder of every scorecard definition version (rank 1 = lowest). -#}
with

levels as (
    select * from {{ ref('stg_scorecards__levels') }}
),

current_definitions as (
    select scorecard_id, definition_hash from {{ ref('int_scorecards_current') }}
),

final as (
    select
        levels.scorecard_id,
        levels.definition_hash,
        levels.level,
        levels.level_rank,
        levels.description,
        current_definitions.scorecard_id is not null as is_current
    from levels
    left join current_definitions
        on current_definitions.scorecard_id = levels.scorecard_id
        and current_definitions.definition_hash = levels.definition_hash
)

select * from final
