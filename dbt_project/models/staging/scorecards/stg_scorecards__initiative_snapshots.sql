with

snapshots as (
    {{ source_or_empty('raw_scorecards', 'initiative_snapshots', {
        'snapshot_on': 'date',
        'initiative_id': 'varchar',
        'definition_hash': 'varchar',
        'loaded_at': 'timestamp',
        '_dlt_load_id': 'varchar',
    }) }}
),

final as (
    select
        snapshot_on,
        initiative_id,
        definition_hash,
        loaded_at,
        _dlt_load_id as load_id
    from snapshots
)

select * from final
