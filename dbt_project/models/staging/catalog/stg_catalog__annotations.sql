with

annotations as (
    {{ catalog_snapshot_rows('annotations', {
        'snapshot_on': 'date',
        'entity_ref': 'varchar',
        'key': 'varchar',
        'value': 'varchar',
        '_dlt_load_id': 'varchar',
    }) }}
),

final as (
    select
        annotations.snapshot_on,
        annotations.entity_ref,
        annotations.key as annotation_key,
        annotations.value as annotation_value
    from annotations
    inner join {{ ref('stg_catalog__entities') }} as counted
        on counted.snapshot_on = annotations.snapshot_on
        and counted.entity_ref = annotations.entity_ref
        and counted.provider = annotations.provider
)

select * from final
