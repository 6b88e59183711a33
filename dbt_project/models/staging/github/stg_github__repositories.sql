with

repositories as (
    {{ current_snapshot_rows(source_or_empty('raw_github', 'repositories', {
        'snapshot_on': 'date',
        'repo_full_name': 'varchar',
        'is_archived': 'boolean',
        'default_branch': 'varchar',
        'branch_protected': 'boolean',
        'protection_source': 'varchar',
        'required_approving_review_count': 'integer',
        'ci_configured': 'boolean',
        'ci_systems': 'varchar',
        'pushed_at': 'timestamp',
        '_dlt_load_id': 'varchar',
    }), 'stg_github__snapshots') }}
),

final as (
    select
        snapshot_on,
        lower(repo_full_name) as repo_full_name,
        is_archived,
        default_branch,
        branch_protected,
        protection_source,
        required_approving_review_count,
        ci_configured,
        ci_systems,
        pushed_at
    from repositories
)

select * from final
