with

errors as (
    {{ current_snapshot_rows(source_or_empty('raw_coverage', 'errors', {
        'snapshot_on': 'date',
        'repo_full_name': 'varchar',
        'message': 'varchar',
        '_dlt_load_id': 'varchar',
    }), 'stg_coverage__snapshots') }}
),

final as (
    select
        snapshot_on,
        lower(repo_full_name) as repo_full_name,
        message
    from errors
)

select * from final
