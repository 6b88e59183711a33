with

schedules as (
    {{ current_snapshot_rows(source_or_empty('raw_pagerduty', 'schedules', {
        'snapshot_on': 'date',
        'schedule_id': 'varchar',
        'name': 'varchar',
        'time_zone': 'varchar',
        '_dlt_load_id': 'varchar',
    }), 'stg_pagerduty__snapshots') }}
),

final as (
    select
        snapshot_on,
        schedule_id,
        name,
        time_zone
    from schedules
)

select * from final
