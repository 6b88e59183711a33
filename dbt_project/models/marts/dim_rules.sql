{#- Every rule of every scorecard definition version, as written and as compiled. -#}
with

rules as (
    select * from {{ ref('stg_scorecards__rules') }}
),

current_definitions as (
    select scorecard_id, definition_hash from {{ ref('int_scorecards_current') }}
),

final as (
    select
        rules.scorecard_id,
        rules.definition_hash,
        rules.rule_id,
        rules.name,
        rules.level,
        rules.level_rank,
        rules.points,
        rules.description,
        rules.remediation,
        rules.effective_from,
        rules.condition_text,
        rules.condition_facts,
        rules.applies_to_text,
        rules.position,
        current_definitions.scorecard_id is not null as is_current
    from rules
    left join current_definitions
        on current_definitions.scorecard_id = rules.scorecard_id
        and current_definitions.definition_hash = rules.definition_hash
)

select * from final
