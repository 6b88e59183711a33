{#- Per evaluation day and source: the snapshot that counts and whether it is fresh.

    State facts (branch protection, links, owners) come from the latest snapshot on or
    before the day; they are stale when that snapshot is older than the freshness window.
    Event facts (incidents, commits, alerts) carry timestamps, so any snapshot loaded on or
    after the start of the window covers the day. `*_reason` is NULL when fresh, otherwise
    the reason shown with every `unknown` outcome that needs the source. -#}
with

days as (
    select day, freshness_days from {{ ref('int_evaluation_days') }}
),

sources as (
    {% for source_name in readiness_sources() %}
    select '{{ source_name }}' as source_name
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

snapshots as (
    select * from {{ ref('int_source_snapshots') }}
),

failures as (
    select
        {{ readiness_source_of('source_name') }} as source_name,
        snapshot_on,
        failed_at,
        message
    from {{ ref('stg_meta__load_failures') }}
),

status as (
    select
        days.day as evaluated_on,
        sources.source_name,
        case sources.source_name
            {%- for source_name in readiness_sources() %}
            when '{{ source_name }}' then {{ source_freshness_days(source_name, 'days.freshness_days') }}
            {%- endfor %}
        end as freshness_days,
        max(case when snapshots.snapshot_on <= days.day then snapshots.snapshot_on end)
            as state_snapshot_on,
        max(snapshots.snapshot_on) as last_snapshot_on
    from days
    cross join sources
    left join snapshots on snapshots.source_name = sources.source_name
    group by days.day, days.freshness_days, sources.source_name
),

-- The newest failed load of each source for each day, when no snapshot of that day loaded
-- after it: said alongside staleness, so an `unknown` tells why the data is old.
day_failures as (
    select
        failures.source_name,
        failures.snapshot_on,
        failures.message,
        row_number() over (
            partition by failures.source_name, failures.snapshot_on
            order by failures.failed_at desc
        ) as recency
    from failures
    left join snapshots
        on snapshots.source_name = failures.source_name
        and snapshots.snapshot_on = failures.snapshot_on
        and snapshots.loaded_at > failures.failed_at
    where snapshots.source_name is null
),

status_with_failures as (
    select
        status.*,
        day_failures.message as failure_message
    from status
    left join day_failures
        on day_failures.source_name = status.source_name
        and day_failures.snapshot_on = status.evaluated_on
        and day_failures.recency = 1
),

reasons as (
    select
        evaluated_on,
        source_name,
        state_snapshot_on,
        last_snapshot_on,
        case
            when last_snapshot_on is null
                then 'source ' || source_name || ' never loaded'
            when state_snapshot_on is null
                then 'source ' || source_name || ' has no snapshot on or before '
                    || cast(evaluated_on as varchar)
            when {{ dbt.datediff('state_snapshot_on', 'evaluated_on', 'day') }} > freshness_days
                then 'source ' || source_name || ' last loaded '
                    || cast(state_snapshot_on as varchar) || ' (stale after '
                    || cast(freshness_days as varchar) || ' days)'
        end as state_reason,
        case
            when last_snapshot_on is null
                then 'source ' || source_name || ' never loaded'
            when {{ dbt.datediff('last_snapshot_on', 'evaluated_on', 'day') }} > freshness_days
                then 'source ' || source_name || ' last loaded '
                    || cast(last_snapshot_on as varchar) || ' (stale after '
                    || cast(freshness_days as varchar) || ' days)'
        end as event_reason,
        failure_message
    from status_with_failures
),

final as (
    select
        evaluated_on,
        source_name,
        state_snapshot_on,
        last_snapshot_on,
        state_reason || coalesce('; its load of ' || cast(evaluated_on as varchar)
            || ' failed: ' || failure_message, '') as state_reason,
        event_reason || coalesce('; its load of ' || cast(evaluated_on as varchar)
            || ' failed: ' || failure_message, '') as event_reason
    from reasons
)

select * from final
