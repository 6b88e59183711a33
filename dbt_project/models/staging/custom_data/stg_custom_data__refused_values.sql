with

refused as (
    {{ current_snapshot_rows(source_or_empty('raw_custom_data', 'refused_values', {
        'snapshot_on': 'date',
        'entity_ref': 'varchar',
        'key': 'varchar',
        'file': 'varchar',
        'line': 'integer',
        '_dlt_load_id': 'varchar',
    }), 'stg_custom_data__snapshots') }}
),

final as (
    select
        snapshot_on,
        entity_ref,
        key as data_key,
        file,
        line
    from refused
)

select * from final
