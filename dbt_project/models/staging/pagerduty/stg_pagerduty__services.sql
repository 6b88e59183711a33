with

services as (
    {{ current_snapshot_rows(source_or_empty('raw_pagerduty', 'services', {
        'snapshot_on': 'date',
        'service_id': 'varchar',
        'name': 'varchar',
        'status': 'varchar',
        'escalation_policy_id': 'varchar',
        '_dlt_load_id': 'varchar',
    }), 'stg_pagerduty__snapshots') }}
),

final as (
    select
        snapshot_on,
        service_id,
        name,
        status,
        escalation_policy_id
    from services
)

select * from final
