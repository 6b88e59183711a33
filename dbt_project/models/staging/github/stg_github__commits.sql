with

commits as (
    {{ source_or_empty('raw_github', 'commits', {
        'repo_full_name': 'varchar',
        'commit_sha': 'varchar',
        'committed_at': 'timestamp',
        '_dlt_load_id': 'varchar',
    }) }}
),

ranked as (
    select
        lower(repo_full_name) as repo_full_name,
        commit_sha,
        committed_at,
        row_number() over (
            partition by lower(repo_full_name), commit_sha order by _dlt_load_id desc
        ) as load_rank
    from commits
),

final as (
    select
        repo_full_name,
        commit_sha,
        committed_at
    from ranked
    where load_rank = 1
)

select * from final
