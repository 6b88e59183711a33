{#- For each evaluation day and provider, the snapshot whose state counts: the latest on or
    before the day. (Freshness is judged per readiness source in int_source_status_daily;
    this model only picks which snapshot's rows to read.) -#}
with

days as (
    select day from {{ ref('int_evaluation_days') }}
),

snapshots as (
    select provider, snapshot_on from {{ ref('int_source_snapshots') }}
),

final as (
    select
        days.day as evaluated_on,
        snapshots.provider,
        max(snapshots.snapshot_on) as snapshot_on
    from days
    inner join snapshots on snapshots.snapshot_on <= days.day
    group by days.day, snapshots.provider
)

select * from final
