with

escalation_targets as (
    {{ current_snapshot_rows(source_or_empty('raw_pagerduty', 'escalation_targets', {
        'snapshot_on': 'date',
        'escalation_policy_id': 'varchar',
        'escalation_level': 'integer',
        'target_type': 'varchar',
        'target_id': 'varchar',
        '_dlt_load_id': 'varchar',
    }), 'stg_pagerduty__snapshots') }}
),

final as (
    select
        snapshot_on,
        escalation_policy_id,
        escalation_level,
        target_type,
        target_id
    from escalation_targets
)

select * from final
