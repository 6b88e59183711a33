{#- SLI facts per entity and day from Prometheus: the `availability_30d` query's value for
    the series whose `service` label is the entity's name, on the day (as a percentage). -#}
with

entities as (
    select evaluated_on, entity_ref, name
    from {{ ref('int_catalog_entities_daily') }}
    where kind = 'component'
),

sli as (
    select service, day, value
    from {{ ref('stg_prometheus__sli_daily') }}
    where query_name = 'availability_30d'
),

final as (
    select
        entities.evaluated_on,
        entities.entity_ref,
        100.0 * sli.value as sli_availability_30d_pct
    from entities
    left join sli on sli.service = entities.name and sli.day = entities.evaluated_on
)

select * from final
