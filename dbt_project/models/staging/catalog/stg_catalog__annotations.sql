with

annotations as (
    {{ current_snapshot_rows(source_or_empty('raw_catalog', 'annotations', {
        'snapshot_on': 'date',
        'entity_ref': 'varchar',
        'key': 'varchar',
        'value': 'varchar',
        '_dlt_load_id': 'varchar',
    }), 'stg_catalog__snapshots') }}
),

final as (
    select
        snapshot_on,
        entity_ref,
        key as annotation_key,
        value as annotation_value
    from annotations
)

select * from final
