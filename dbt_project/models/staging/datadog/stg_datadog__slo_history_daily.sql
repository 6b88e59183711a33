with

history as (
    {{ source_or_empty('raw_datadog', 'slo_history_daily', {
        'slo_id': 'varchar',
        'day': 'date',
        'good_events': 'double precision',
        'total_events': 'double precision',
        '_dlt_load_id': 'varchar',
    }) }}
),

newest_load_first as (
    select
        history.*,
        row_number() over (
            partition by slo_id, day order by _dlt_load_id desc
        ) as load_rank
    from history
),

final as (
    select
        slo_id,
        day,
        good_events,
        total_events
    from newest_load_first
    where load_rank = 1
)

select * from final
