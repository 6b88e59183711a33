with

group_members as (
    {{ current_snapshot_rows(source_or_empty('raw_okta', 'group_members', {
        'snapshot_on': 'date',
        'group_id': 'varchar',
        'user_id': 'varchar',
        '_dlt_load_id': 'varchar',
    }), 'stg_okta__snapshots') }}
),

final as (
    select distinct
        snapshot_on,
        group_id,
        user_id
    from group_members
)

select * from final
