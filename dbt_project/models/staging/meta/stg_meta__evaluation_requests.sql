with

requests as (
    {{ source_or_empty('raw_meta', 'evaluation_requests', {
        'request_id': 'varchar',
        'first_day': 'date',
        'last_day': 'date',
        'reevaluate': 'boolean',
        'freshness_days': 'integer',
        'trigger': 'varchar',
        'triggered_by': 'varchar',
        'requested_at': 'timestamp',
    }) }}
),

final as (
    select
        request_id,
        first_day,
        last_day,
        coalesce(reevaluate, false) as reevaluate,
        coalesce(freshness_days, 2) as freshness_days,
        trigger,
        triggered_by,
        requested_at
    from requests
)

select * from final
