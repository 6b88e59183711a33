{#- Every load attempt of every source: each successful snapshot (the newest load of its
    day) and each recorded failure, so that a report can say when each source last loaded
    successfully as of any day, and what failed. Rebuilt from the raw load records on every
    build (they are append-only, so past rows never change). -#}
with

snapshots as (
    select source_name, provider, snapshot_on, load_id, loaded_at
    from {{ ref('int_source_snapshots') }}
),

standards as (
    select
        'scorecards' as source_name,
        'scorecards' as provider,
        snapshot_on,
        max(load_id) as load_id,
        max(loaded_at) as loaded_at
    from {{ ref('stg_scorecards__snapshots') }}
    group by snapshot_on
),

failures as (
    select
        {{ readiness_source_of('source_name') }} as source_name,
        source_name as provider,
        snapshot_on,
        failed_at,
        message
    from {{ ref('stg_meta__load_failures') }}
),

loaded as (
    select * from snapshots
    union all
    select * from standards
),

final as (
    select
        source_name,
        provider,
        snapshot_on,
        'loaded' as status,
        loaded_at as attempted_at,
        load_id,
        cast(null as varchar) as message
    from loaded
    union all
    select
        source_name,
        provider,
        snapshot_on,
        'failed' as status,
        failed_at as attempted_at,
        cast(null as varchar) as load_id,
        message
    from failures
)

select * from final
