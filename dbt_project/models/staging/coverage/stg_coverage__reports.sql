with

reports as (
    {{ current_snapshot_rows(source_or_empty('raw_coverage', 'reports', {
        'snapshot_on': 'date',
        'repo_full_name': 'varchar',
        'line_rate': 'double precision',
        'branch_rate': 'double precision',
        'lines_valid': 'integer',
        'lines_covered': 'integer',
        'generated_at': 'timestamp',
        '_dlt_load_id': 'varchar',
    }), 'stg_coverage__snapshots') }}
),

final as (
    select
        snapshot_on,
        lower(repo_full_name) as repo_full_name,
        {{ round_pct('100.0 * line_rate') }} as line_rate_pct,
        {{ round_pct('100.0 * branch_rate') }} as branch_rate_pct,
        lines_valid,
        lines_covered,
        generated_at
    from reports
)

select * from final
