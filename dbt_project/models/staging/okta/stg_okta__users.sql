with

users as (
    {{ current_snapshot_rows(source_or_empty('raw_okta', 'users', {
        'snapshot_on': 'date',
        'user_id': 'varchar',
        'login': 'varchar',
        'email': 'varchar',
        'status': 'varchar',
        '_dlt_load_id': 'varchar',
    }), 'stg_okta__snapshots') }}
),

final as (
    select
        snapshot_on,
        user_id,
        lower(login) as login,
        lower(email) as email,
        upper(status) as status,
        coalesce(upper(status) = 'ACTIVE', false) as is_active
    from users
)

select * from final
