{#- The rules in force, with their scorecard's scope and levels: what fct_rule_outcomes
    compiles into SQL at run time. -#}
with

scorecards as (
    select * from {{ ref('int_scorecards_current') }}
),

rules as (
    select * from {{ ref('stg_scorecards__rules') }}
),

final as (
    select
        rules.*,
        scorecards.applies_to_sql_duckdb as scorecard_applies_to_sql_duckdb,
        scorecards.applies_to_sql_postgres as scorecard_applies_to_sql_postgres
    from rules
    inner join scorecards
        on scorecards.scorecard_id = rules.scorecard_id
        and scorecards.definition_hash = rules.definition_hash
)

select * from final
