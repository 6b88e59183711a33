with

entity_values as (
    {{ current_snapshot_rows(source_or_empty('raw_custom_data', 'entity_values', {
        'snapshot_on': 'date',
        'entity_ref': 'varchar',
        'key': 'varchar',
        'value': 'varchar',
        'value_type': 'varchar',
        'file': 'varchar',
        '_dlt_load_id': 'varchar',
    }), 'stg_custom_data__snapshots') }}
),

final as (
    select
        snapshot_on,
        entity_ref,
        key as data_key,
        value as data_value,
        value_type,
        file
    from entity_values
)

select * from final
