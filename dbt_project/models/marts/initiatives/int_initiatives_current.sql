{{ config(schema='intermediate', materialized='table') }}
{#- The initiative definitions in force: those of the latest standards load (the same load
    that put the current scorecards in force). An initiative removed from the YAML is no
    longer current; its history stays in the marts under its definition hash. -#}
with

latest_load as (
    select max(load_id) as load_id from {{ ref('stg_scorecards__snapshots') }}
),

in_force as (
    select distinct snapshots.initiative_id, snapshots.definition_hash
    from {{ ref('stg_scorecards__initiative_snapshots') }} as snapshots
    inner join latest_load on snapshots.load_id = latest_load.load_id
),

initiatives as (
    select * from {{ ref('stg_scorecards__initiatives') }}
),

final as (
    select initiatives.*
    from initiatives
    inner join in_force
        on in_force.initiative_id = initiatives.initiative_id
        and in_force.definition_hash = initiatives.definition_hash
)

select * from final
