with

oncalls as (
    {{ current_snapshot_rows(source_or_empty('raw_pagerduty', 'oncalls', {
        'snapshot_on': 'date',
        'escalation_policy_id': 'varchar',
        'escalation_level': 'integer',
        'schedule_id': 'varchar',
        'user_id': 'varchar',
        'starts_at': 'timestamp with time zone',
        'ends_at': 'timestamp with time zone',
        '_dlt_load_id': 'varchar',
    }), 'stg_pagerduty__snapshots') }}
),

final as (
    select
        snapshot_on,
        escalation_policy_id,
        escalation_level,
        schedule_id,
        user_id,
        timezone('UTC', starts_at) as starts_at,
        timezone('UTC', ends_at) as ends_at
    from oncalls
)

select * from final
