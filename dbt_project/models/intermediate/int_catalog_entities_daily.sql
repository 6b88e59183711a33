{#- The entities that exist on each evaluation day, with their catalog facts.

    An entity exists on a day when it is in the latest catalog snapshot on or before it.
    Its catalog facts are NULL when that snapshot is stale (see fct_entity_facts). -#}
with

status as (
    select evaluated_on, state_snapshot_on
    from {{ ref('int_source_status_daily') }}
    where source_name = 'catalog' and state_snapshot_on is not null
),

entities as (
    select * from {{ ref('int_catalog_entities') }}
),

final as (
    select
        status.evaluated_on,
        entities.*
    from status
    inner join entities on entities.snapshot_on = status.state_snapshot_on
)

select * from final
