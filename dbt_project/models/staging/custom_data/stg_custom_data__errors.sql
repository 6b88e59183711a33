with

errors as (
    {{ current_snapshot_rows(source_or_empty('raw_custom_data', 'errors', {
        'snapshot_on': 'date',
        'file': 'varchar',
        'item': 'integer',
        'line': 'integer',
        'entity_ref': 'varchar',
        'data_key': 'varchar',
        'message': 'varchar',
        'hint': 'varchar',
        '_dlt_load_id': 'varchar',
    }), 'stg_custom_data__snapshots') }}
),

final as (
    select
        snapshot_on,
        file,
        item,
        line,
        entity_ref,
        data_key,
        message,
        hint
    from errors
)

select * from final
