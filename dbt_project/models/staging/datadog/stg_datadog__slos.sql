with

slos as (
    {{ current_snapshot_rows(source_or_empty('raw_datadog', 'slos', {
        'snapshot_on': 'date',
        'slo_id': 'varchar',
        'name': 'varchar',
        'slo_type': 'varchar',
        'target_pct': 'double precision',
        'timeframe': 'varchar',
        'timeframe_days': 'integer',
        'created_at': 'timestamp',
        '_dlt_load_id': 'varchar',
    }), 'stg_datadog__snapshots') }}
),

final as (
    select
        snapshot_on,
        slo_id,
        name,
        slo_type,
        target_pct,
        timeframe,
        timeframe_days,
        created_at
    from slos
)

select * from final
