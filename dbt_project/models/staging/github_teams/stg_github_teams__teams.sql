with

teams as (
    {{ current_snapshot_rows(source_or_empty('raw_github_teams', 'teams', {
        'snapshot_on': 'date',
        'team_slug': 'varchar',
        'name': 'varchar',
        'parent_team_slug': 'varchar',
        '_dlt_load_id': 'varchar',
    }), 'stg_github_teams__snapshots') }}
),

final as (
    select
        snapshot_on,
        lower(team_slug) as team_slug,
        name,
        lower(parent_team_slug) as parent_team_slug
    from teams
)

select * from final
