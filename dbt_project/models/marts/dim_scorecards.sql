{#- Every scorecard definition version ever loaded, with when it was first and last in force. -#}
with

scorecards as (
    select * from {{ ref('stg_scorecards__scorecards') }}
),

snapshots as (
    select scorecard_id, definition_hash, min(snapshot_on) as first_in_force_on,
        max(snapshot_on) as last_in_force_on
    from {{ ref('stg_scorecards__snapshots') }}
    group by scorecard_id, definition_hash
),

current_definitions as (
    select scorecard_id, definition_hash from {{ ref('int_scorecards_current') }}
),

levels as (
    select scorecard_id, definition_hash, count(*) as level_count
    from {{ ref('stg_scorecards__levels') }}
    group by scorecard_id, definition_hash
),

rules as (
    select scorecard_id, definition_hash, count(*) as rule_count, sum(points) as total_points
    from {{ ref('stg_scorecards__rules') }}
    group by scorecard_id, definition_hash
),

final as (
    select
        scorecards.scorecard_id,
        scorecards.definition_hash,
        scorecards.name,
        scorecards.description,
        scorecards.owner,
        scorecards.applies_to_text,
        scorecards.file,
        levels.level_count,
        rules.rule_count,
        rules.total_points,
        scorecards.first_loaded_at,
        snapshots.first_in_force_on,
        snapshots.last_in_force_on,
        current_definitions.scorecard_id is not null as is_current,
        scorecards.definition_json
    from scorecards
    left join snapshots
        on snapshots.scorecard_id = scorecards.scorecard_id
        and snapshots.definition_hash = scorecards.definition_hash
    left join current_definitions
        on current_definitions.scorecard_id = scorecards.scorecard_id
        and current_definitions.definition_hash = scorecards.definition_hash
    left join levels
        on levels.scorecard_id = scorecards.scorecard_id
        and levels.definition_hash = scorecards.definition_hash
    left join rules
        on rules.scorecard_id = scorecards.scorecard_id
        and rules.definition_hash = scorecards.definition_hash
)

select * from final
