{#- Every successful snapshot of every source, as (source, snapshot day, load). -#}
with

catalog as (
    select 'catalog' as source_name, snapshot_on, load_id, loaded_at
    from {{ ref('stg_catalog__snapshots') }}
),

custom_data as (
    select 'custom_data' as source_name, snapshot_on, load_id, loaded_at
    from {{ ref('stg_custom_data__snapshots') }}
),

final as (
    select * from catalog
    union all
    select * from custom_data
)

select * from final
