with

okta_groups as (
    {{ current_snapshot_rows(source_or_empty('raw_okta', 'groups', {
        'snapshot_on': 'date',
        'group_id': 'varchar',
        'group_name': 'varchar',
        'group_type': 'varchar',
        '_dlt_load_id': 'varchar',
    }), 'stg_okta__snapshots') }}
),

final as (
    select
        snapshot_on,
        group_id,
        group_name,
        upper(group_type) as group_type
    from okta_groups
)

select * from final
