{{
    config(
        tags=['daily'],
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{% if is_incremental() %}delete from {{ this }} as existing where exists (select 1 from {{ ref('int_initiative_days') }} as rebuilt where rebuilt.invocation_id = '{{ invocation_id }}' and rebuilt.initiative_id = existing.initiative_id and rebuilt.evaluated_on = existing.evaluated_on){% endif %}",
    )
}}
{#- Burn-up of every initiative, per day, for the whole initiative (scope_type
    `initiative`) and for each owning team (`team`): entities in scope, done, remaining,
    percent complete, the straight line to the due date, the recent rate and the
    completion date it projects.

    - Straight line: from the percent complete on the baseline day (the first day the
      initiative, or the team, had entities in scope) to 100 % on the due date.
    - Rate: entities remaining `rate_window_days` ago minus entities remaining now,
      divided by that many days (net burn: regressions and entities entering scope count
      against it). The window is var `initiative_rate_window_days` (14), shorter while the
      initiative is younger; no rate before var `initiative_min_history_days` (7) days.
    - Projected completion: today + ceil(remaining / rate) when the rate is positive;
      today when nothing remains; NULL when the rate is zero or negative (never, at the
      current rate) or not yet known.
    - Projected late: something remains, the rate is known, and the projection is after
      the due date; or the rate is zero or negative (never, at this rate) and it is behind
      the straight line. A small team ahead of the line that made no progress in the
      window is not flagged until it falls behind.
    - Lagging: something remains and it is behind the straight line, projected late, or
      past the due date. -#}
{%- set window_days = var('initiative_rate_window_days', 14) -%}
{%- set min_history_days = var('initiative_min_history_days', 7) -%}
with

pairs as (
    select initiative_id, definition_hash, evaluated_on
    from {{ ref('int_initiative_days') }}
    {%- if is_incremental() %}
    where invocation_id = '{{ invocation_id }}'
    {%- endif %}
),

initiatives as (
    select initiative_id, definition_hash, start_date, due_date
    from {{ ref('int_initiatives_current') }}
),

entities as (
    select
        entities.evaluated_on,
        entities.initiative_id,
        entities.definition_hash,
        coalesce(entities.team_ref, '(owner not resolved)') as team_ref,
        entities.is_done
    from {{ ref('fct_initiative_entities_daily') }} as entities
    inner join initiatives
        on initiatives.initiative_id = entities.initiative_id
        and initiatives.definition_hash = entities.definition_hash
),

counts as (
    select
        evaluated_on,
        initiative_id,
        definition_hash,
        'initiative' as scope_type,
        'initiative' as scope_ref,
        count(*) as entities_in_scope,
        sum(case when is_done then 1 else 0 end) as entities_done
    from entities
    group by evaluated_on, initiative_id, definition_hash
    union all
    select
        evaluated_on,
        initiative_id,
        definition_hash,
        'team' as scope_type,
        team_ref as scope_ref,
        count(*) as entities_in_scope,
        sum(case when is_done then 1 else 0 end) as entities_done
    from entities
    group by evaluated_on, initiative_id, definition_hash, team_ref
),

measured as (
    select
        counts.*,
        counts.entities_in_scope - counts.entities_done as entities_remaining,
        100.0 * counts.entities_done / counts.entities_in_scope as pct_complete
    from counts
),

baselines as (
    select initiative_id, definition_hash, scope_type, scope_ref, min(evaluated_on) as baseline_on
    from measured
    group by initiative_id, definition_hash, scope_type, scope_ref
),

today as (
    select
        measured.*,
        initiatives.start_date,
        initiatives.due_date,
        baselines.baseline_on,
        baseline.pct_complete as baseline_pct,
        {{ dbt.datediff('baselines.baseline_on', 'measured.evaluated_on', 'day') }} as history_days
    from measured
    inner join pairs
        on pairs.initiative_id = measured.initiative_id
        and pairs.definition_hash = measured.definition_hash
        and pairs.evaluated_on = measured.evaluated_on
    inner join initiatives
        on initiatives.initiative_id = measured.initiative_id
        and initiatives.definition_hash = measured.definition_hash
    inner join baselines
        on baselines.initiative_id = measured.initiative_id
        and baselines.definition_hash = measured.definition_hash
        and baselines.scope_type = measured.scope_type
        and baselines.scope_ref = measured.scope_ref
    inner join measured as baseline
        on baseline.initiative_id = baselines.initiative_id
        and baseline.definition_hash = baselines.definition_hash
        and baseline.scope_type = baselines.scope_type
        and baseline.scope_ref = baselines.scope_ref
        and baseline.evaluated_on = baselines.baseline_on
),

windowed as (
    select
        today.*,
        case
            when today.history_days >= {{ min_history_days }}
                then least({{ window_days }}, today.history_days)
        end as rate_window_days
    from today
),

rated as (
    select
        windowed.*,
        case
            when windowed.rate_window_days is not null
                then earlier.entities_remaining - windowed.entities_remaining
        end as burned,
        case
            when windowed.rate_window_days is not null
                then 1.0 * (earlier.entities_remaining - windowed.entities_remaining)
                    / windowed.rate_window_days
        end as burn_rate_per_day
    from windowed
    left join measured as earlier
        on earlier.initiative_id = windowed.initiative_id
        and earlier.definition_hash = windowed.definition_hash
        and earlier.scope_type = windowed.scope_type
        and earlier.scope_ref = windowed.scope_ref
        and earlier.evaluated_on = cast({{ dbt.dateadd(
            'day', '-windowed.rate_window_days', 'windowed.evaluated_on') }} as date)
),

projected as (
    select
        rated.*,
        case
            when rated.entities_remaining = 0 then rated.evaluated_on
            -- remaining / (burned / window), in exact arithmetic
            when rated.burned > 0 then cast({{ dbt.dateadd(
                'day',
                'cast(ceil(1.0 * rated.entities_remaining * rated.rate_window_days'
                    ~ ' / rated.burned) as integer)',
                'rated.evaluated_on') }} as date)
        end as projected_completion_on,
        case
            when rated.evaluated_on >= rated.due_date or rated.baseline_on >= rated.due_date
                then 100.0
            else rated.baseline_pct + (100.0 - rated.baseline_pct)
                * {{ dbt.datediff('rated.baseline_on', 'rated.evaluated_on', 'day') }}
                / {{ dbt.datediff('rated.baseline_on', 'rated.due_date', 'day') }}
        end as expected_pct
    from rated
),

flagged as (
    select
        projected.*,
        projected.entities_remaining > 0 and projected.pct_complete < projected.expected_pct
            as is_behind_schedule,
        projected.entities_remaining > 0
            and projected.burn_rate_per_day is not null
            and (
                coalesce(projected.projected_completion_on > projected.due_date, false)
                or (
                    projected.projected_completion_on is null
                    and projected.pct_complete < projected.expected_pct
                )
            ) as is_projected_late,
        projected.entities_remaining > 0 and projected.evaluated_on > projected.due_date
            as is_overdue
    from projected
),

teams as (
    select team_ref, parent_ref from {{ ref('dim_teams') }}
),

final as (
    select
        flagged.evaluated_on,
        flagged.initiative_id,
        flagged.definition_hash,
        flagged.scope_type,
        flagged.scope_ref,
        teams.parent_ref as parent_team_ref,
        flagged.start_date,
        flagged.due_date,
        cast(flagged.entities_in_scope as integer) as entities_in_scope,
        cast(flagged.entities_done as integer) as entities_done,
        cast(flagged.entities_remaining as integer) as entities_remaining,
        {{ round_pct('flagged.pct_complete') }} as pct_complete,
        flagged.baseline_on,
        {{ round_pct('flagged.baseline_pct') }} as baseline_pct,
        {{ round_pct('flagged.expected_pct') }} as expected_pct,
        cast({{ dbt.datediff('flagged.start_date', 'flagged.evaluated_on', 'day') }} as integer)
            as days_elapsed,
        cast({{ dbt.datediff('flagged.evaluated_on', 'flagged.due_date', 'day') }} as integer)
            as days_left,
        cast(flagged.rate_window_days as integer) as rate_window_days,
        cast(round(cast(flagged.burn_rate_per_day as numeric(38, 10)), 4) as double precision)
            as burn_rate_per_day,
        flagged.projected_completion_on,
        flagged.is_behind_schedule,
        flagged.is_projected_late,
        flagged.is_overdue,
        flagged.is_behind_schedule or flagged.is_projected_late or flagged.is_overdue
            as is_lagging,
        case
            when flagged.entities_remaining = 0 then 'done'
            when flagged.is_overdue then 'overdue'
            when flagged.is_projected_late then 'projected_late'
            when flagged.is_behind_schedule then 'behind'
            else 'on_track'
        end as status,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as evaluated_at,
        '{{ invocation_id }}' as invocation_id
    from flagged
    left join teams
        on flagged.scope_type = 'team' and teams.team_ref = flagged.scope_ref
)

select * from final
