with

failures as (
    {{ source_or_empty('raw_meta', 'load_failures', {
        'source_name': 'varchar',
        'snapshot_on': 'date',
        'failed_at': 'timestamp',
        'message': 'varchar',
        'run_id': 'varchar',
    }) }}
),

final as (
    select
        source_name,
        snapshot_on,
        failed_at,
        message,
        run_id
    from failures
)

select * from final
