with

errors as (
    {{ current_snapshot_rows(source_or_empty('raw_catalog', 'errors', {
        'snapshot_on': 'date',
        'file': 'varchar',
        'document_index': 'integer',
        'line': 'integer',
        'message': 'varchar',
        '_dlt_load_id': 'varchar',
    }), 'stg_catalog__snapshots') }}
),

final as (
    select
        snapshot_on,
        file,
        document_index,
        line,
        message
    from errors
)

select * from final
