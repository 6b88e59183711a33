with

loads as (
    {{ source_or_empty('raw_github', 'snapshots', {
        'snapshot_on': 'date',
        'loaded_at': 'timestamp',
        '_dlt_load_id': 'varchar',
    }) }}
),

final as (
    select
        snapshot_on,
        max(_dlt_load_id) as load_id,
        max(loaded_at) as loaded_at
    from loads
    group by snapshot_on
)

select * from final
