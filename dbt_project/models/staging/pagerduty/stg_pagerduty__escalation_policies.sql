with

escalation_policies as (
    {{ current_snapshot_rows(source_or_empty('raw_pagerduty', 'escalation_policies', {
        'snapshot_on': 'date',
        'escalation_policy_id': 'varchar',
        'name': 'varchar',
        'escalation_rule_count': 'integer',
        'num_loops': 'integer',
        '_dlt_load_id': 'varchar',
    }), 'stg_pagerduty__snapshots') }}
),

final as (
    select
        snapshot_on,
        escalation_policy_id,
        name,
        escalation_rule_count,
        num_loops
    from escalation_policies
)

select * from final
