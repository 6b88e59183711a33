with

members as (
    {{ current_snapshot_rows(source_or_empty('raw_github_teams', 'members', {
        'snapshot_on': 'date',
        'team_slug': 'varchar',
        'login': 'varchar',
        '_dlt_load_id': 'varchar',
    }), 'stg_github_teams__snapshots') }}
),

final as (
    select distinct
        snapshot_on,
        lower(team_slug) as team_slug,
        lower(login) as login
    from members
)

select * from final
