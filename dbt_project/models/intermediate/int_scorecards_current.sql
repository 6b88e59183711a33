{#- The scorecard definitions in force: those of the latest standards load. A backfill
    evaluates past days with these too, and records that it did. -#}
with

snapshots as (
    select * from {{ ref('stg_scorecards__snapshots') }}
),

latest_load as (
    select max(load_id) as load_id from snapshots
),

current_definitions as (
    select distinct snapshots.scorecard_id, snapshots.definition_hash
    from snapshots
    inner join latest_load on snapshots.load_id = latest_load.load_id
),

scorecards as (
    select * from {{ ref('stg_scorecards__scorecards') }}
),

final as (
    select scorecards.*
    from scorecards
    inner join current_definitions
        on current_definitions.scorecard_id = scorecards.scorecard_id
        and current_definitions.definition_hash = scorecards.definition_hash
)

select * from final
