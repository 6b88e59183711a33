with

slo_tags as (
    {{ current_snapshot_rows(source_or_empty('raw_datadog', 'slo_tags', {
        'snapshot_on': 'date',
        'slo_id': 'varchar',
        'tag_key': 'varchar',
        'tag_value': 'varchar',
        '_dlt_load_id': 'varchar',
    }), 'stg_datadog__snapshots') }}
),

final as (
    select distinct
        snapshot_on,
        slo_id,
        tag_key,
        tag_value
    from slo_tags
)

select * from final
