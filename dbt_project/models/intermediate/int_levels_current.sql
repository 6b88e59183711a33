with

scorecards as (
    select * from {{ ref('int_scorecards_current') }}
),

levels as (
    select * from {{ ref('stg_scorecards__levels') }}
),

final as (
    select levels.*
    from levels
    inner join scorecards
        on scorecards.scorecard_id = levels.scorecard_id
        and scorecards.definition_hash = levels.definition_hash
)

select * from final
