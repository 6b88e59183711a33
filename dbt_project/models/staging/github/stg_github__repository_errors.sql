with

errors as (
    {{ current_snapshot_rows(source_or_empty('raw_github', 'repository_errors', {
        'snapshot_on': 'date',
        'repo_full_name': 'varchar',
        'facet': 'varchar',
        'error_type': 'varchar',
        'message': 'varchar',
        '_dlt_load_id': 'varchar',
    }), 'stg_github__snapshots') }}
),

final as (
    select
        snapshot_on,
        lower(repo_full_name) as repo_full_name,
        facet,
        error_type,
        message
    from errors
)

select * from final
