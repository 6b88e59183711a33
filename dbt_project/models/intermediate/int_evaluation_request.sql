{#- The evaluation dbt is building now: the newest request, or today when nobody asked
    (a plain `dbt build` run by hand evaluates today with the default window). -#}
with

latest as (
    select *
    from {{ ref('stg_meta__evaluation_requests') }}
    order by requested_at desc
    limit 1
),

today as (
    select cast({{ dbt.current_timestamp() }} as date) as today
),

final as (
    select
        coalesce(latest.request_id, 'manual') as request_id,
        coalesce(latest.first_day, today.today) as first_day,
        coalesce(latest.last_day, latest.first_day, today.today) as last_day,
        coalesce(latest.reevaluate, false) as reevaluate,
        coalesce(latest.freshness_days, 2) as freshness_days,
        coalesce(latest.trigger, 'dbt') as trigger,
        latest.triggered_by
    from today
    left join latest on 1 = 1
)

select * from final
