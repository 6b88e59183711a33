{#- Incidents are events merged on their id by dlt; the ranking keeps the newest load of
    each id anyway, so a table loaded without merge (or a re-read) never counts twice. -#}
with

incidents as (
    {{ source_or_empty('raw_pagerduty', 'incidents', {
        'incident_id': 'varchar',
        'incident_number': 'bigint',
        'service_id': 'varchar',
        'created_at': 'timestamp with time zone',
        'resolved_at': 'timestamp with time zone',
        'status': 'varchar',
        'urgency': 'varchar',
        '_dlt_load_id': 'varchar',
    }) }}
),

ranked as (
    select
        incidents.*,
        row_number() over (
            partition by incidents.incident_id order by incidents._dlt_load_id desc
        ) as load_rank
    from incidents
),

final as (
    select
        incident_id,
        incident_number,
        service_id,
        timezone('UTC', created_at) as created_at,
        timezone('UTC', resolved_at) as resolved_at,
        status,
        urgency
    from ranked
    where load_rank = 1
)

select * from final
