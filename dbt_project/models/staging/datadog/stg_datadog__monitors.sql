with

monitors as (
    {{ current_snapshot_rows(source_or_empty('raw_datadog', 'monitors', {
        'snapshot_on': 'date',
        'monitor_id': 'bigint',
        'name': 'varchar',
        'monitor_type': 'varchar',
        'overall_state': 'varchar',
        'created_at': 'timestamp',
        '_dlt_load_id': 'varchar',
    }), 'stg_datadog__snapshots') }}
),

final as (
    select
        snapshot_on,
        monitor_id,
        name,
        monitor_type,
        overall_state,
        created_at
    from monitors
)

select * from final
