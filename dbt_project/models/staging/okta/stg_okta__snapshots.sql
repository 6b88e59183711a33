with

loads as (
    {{ source_or_empty('raw_okta', 'snapshots', {
        'snapshot_on': 'date',
        'loaded_at': 'timestamp with time zone',
        'base_url': 'varchar',
        '_dlt_load_id': 'varchar',
    }) }}
),

final as (
    select
        snapshot_on,
        max(_dlt_load_id) as load_id,
        max(timezone('UTC', loaded_at)) as loaded_at
    from loads
    group by snapshot_on
)

select * from final
