{#- Every initiative definition version ever loaded, with its target spelled out, when it
    was first and last in force, and whether it is the one in force now. -#}
with

initiatives as (
    select * from {{ ref('stg_scorecards__initiatives') }}
),

snapshots as (
    select initiative_id, definition_hash, min(snapshot_on) as first_in_force_on,
        max(snapshot_on) as last_in_force_on
    from {{ ref('stg_scorecards__initiative_snapshots') }}
    group by initiative_id, definition_hash
),

current_definitions as (
    select initiative_id, definition_hash from {{ ref('int_initiatives_current') }}
),

target_rules as (
    select
        initiative_id,
        definition_hash,
        {{ dbt.listagg('rule_id', "', '", 'order by position') }} as target_rules,
        count(*) as target_rule_count
    from {{ ref('stg_scorecards__initiative_rules') }}
    group by initiative_id, definition_hash
),

teams as (
    select
        initiative_id,
        definition_hash,
        {{ dbt.listagg('team_ref', "', '", 'order by team_ref') }} as teams
    from {{ ref('stg_scorecards__initiative_teams') }}
    group by initiative_id, definition_hash
),

final as (
    select
        initiatives.initiative_id,
        initiatives.definition_hash,
        initiatives.name,
        initiatives.description,
        initiatives.scorecard_id,
        initiatives.target_type,
        initiatives.target_level,
        target_rules.target_rules,
        case
            when initiatives.target_type = 'level' then 'hold level ' || initiatives.target_level
            else 'pass ' || target_rules.target_rules
        end as target_text,
        initiatives.entity_filter_text,
        teams.teams,
        initiatives.start_date,
        initiatives.due_date,
        initiatives.owner_ref,
        initiatives.channels,
        initiatives.digest_cadence,
        initiatives.digest_weekday,
        initiatives.reminder_days,
        initiatives.escalate_overdue,
        initiatives.level_drop_alerts,
        initiatives.file,
        initiatives.line,
        initiatives.first_loaded_at,
        snapshots.first_in_force_on,
        snapshots.last_in_force_on,
        current_definitions.initiative_id is not null as is_current,
        initiatives.definition_json
    from initiatives
    left join snapshots
        on snapshots.initiative_id = initiatives.initiative_id
        and snapshots.definition_hash = initiatives.definition_hash
    left join current_definitions
        on current_definitions.initiative_id = initiatives.initiative_id
        and current_definitions.definition_hash = initiatives.definition_hash
    left join target_rules
        on target_rules.initiative_id = initiatives.initiative_id
        and target_rules.definition_hash = initiatives.definition_hash
    left join teams
        on teams.initiative_id = initiatives.initiative_id
        and teams.definition_hash = initiatives.definition_hash
)

select * from final
