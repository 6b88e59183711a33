with

monitor_tags as (
    {{ current_snapshot_rows(source_or_empty('raw_datadog', 'monitor_tags', {
        'snapshot_on': 'date',
        'monitor_id': 'bigint',
        'tag_key': 'varchar',
        'tag_value': 'varchar',
        '_dlt_load_id': 'varchar',
    }), 'stg_datadog__snapshots') }}
),

final as (
    select distinct
        snapshot_on,
        monitor_id,
        tag_key,
        tag_value
    from monitor_tags
)

select * from final
