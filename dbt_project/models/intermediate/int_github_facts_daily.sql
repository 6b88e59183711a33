{#- Git facts per entity and day, from the repository named by the entity's
    `github.com/project-slug` annotation.

    State (protection, approvals, CI) comes from the GitHub snapshot in force on the day;
    events (commits, Dependabot alerts) are evaluated as of the end of the day. An entity
    whose repository is missing from the snapshot gets repository_found = false. -#}
with

entities as (
    select evaluated_on, entity_ref, lower(github_repo) as repo_full_name
    from {{ ref('int_catalog_entities_daily') }}
    where github_repo is not null
),

snapshot_days as (
    select evaluated_on, snapshot_on
    from {{ ref('int_provider_snapshot_days') }}
    where provider = 'github'
),

repositories as (
    select * from {{ ref('stg_github__repositories') }}
),

repository_state as (
    select
        entities.evaluated_on,
        entities.entity_ref,
        entities.repo_full_name,
        repositories.repo_full_name is not null as repository_found,
        repositories.branch_protected,
        repositories.required_approving_review_count,
        repositories.ci_configured
    from entities
    left join snapshot_days on snapshot_days.evaluated_on = entities.evaluated_on
    left join repositories
        on repositories.snapshot_on = snapshot_days.snapshot_on
        and repositories.repo_full_name = entities.repo_full_name
),

-- Last commit on or before each day. Each (repository, day) row takes the commits made
-- since the repository's previous row (all older ones for its first), then a running max
-- carries the newest forward: linear in commits plus repositories × days, and right when
-- an entity appears during the window or is absent for some days.
commit_days as (
    select repo_full_name, cast(committed_at as date) as commit_day
    from {{ ref('stg_github__commits') }}
    group by repo_full_name, cast(committed_at as date)
),

repo_days as (
    select distinct evaluated_on, repo_full_name from entities
),

repo_spans as (
    select
        evaluated_on,
        repo_full_name,
        lag(evaluated_on) over (partition by repo_full_name order by evaluated_on) as previous_day
    from repo_days
),

span_commits as (
    select
        repo_spans.evaluated_on,
        repo_spans.repo_full_name,
        max(commit_days.commit_day) as commit_day
    from repo_spans
    inner join commit_days
        on commit_days.repo_full_name = repo_spans.repo_full_name
        and commit_days.commit_day <= repo_spans.evaluated_on
        and (repo_spans.previous_day is null or commit_days.commit_day > repo_spans.previous_day)
    group by repo_spans.evaluated_on, repo_spans.repo_full_name
),

last_commit as (
    select
        repo_spans.evaluated_on,
        repo_spans.repo_full_name,
        max(span_commits.commit_day) over (
            partition by repo_spans.repo_full_name
            order by repo_spans.evaluated_on
            rows between unbounded preceding and current row
        ) as last_commit_day
    from repo_spans
    left join span_commits
        on span_commits.repo_full_name = repo_spans.repo_full_name
        and span_commits.evaluated_on = repo_spans.evaluated_on
),

alerts as (
    select * from {{ ref('stg_github__vulnerability_alerts') }}
    where severity in ('critical', 'high')
),

open_alerts as (
    select
        repo_days.evaluated_on,
        repo_days.repo_full_name,
        count(alerts.alert_number) as open_critical_high_vulnerability_count
    from repo_days
    inner join alerts
        on alerts.repo_full_name = repo_days.repo_full_name
        and alerts.created_at < {{ dbt.dateadd('day', 1, 'repo_days.evaluated_on') }}
        and (alerts.fixed_at is null
            or alerts.fixed_at >= {{ dbt.dateadd('day', 1, 'repo_days.evaluated_on') }})
        and (alerts.dismissed_at is null
            or alerts.dismissed_at >= {{ dbt.dateadd('day', 1, 'repo_days.evaluated_on') }})
    group by repo_days.evaluated_on, repo_days.repo_full_name
),

final as (
    select
        repository_state.evaluated_on,
        repository_state.entity_ref,
        repository_state.repository_found,
        repository_state.branch_protected,
        repository_state.required_approving_review_count,
        repository_state.ci_configured,
        case when repository_state.repository_found
            then coalesce(open_alerts.open_critical_high_vulnerability_count, 0)
        end as open_critical_high_vulnerability_count,
        case when repository_state.repository_found
            then {{ dbt.datediff('last_commit.last_commit_day', 'repository_state.evaluated_on', 'day') }}
        end as days_since_last_commit
    from repository_state
    left join last_commit
        on last_commit.evaluated_on = repository_state.evaluated_on
        and last_commit.repo_full_name = repository_state.repo_full_name
    left join open_alerts
        on open_alerts.evaluated_on = repository_state.evaluated_on
        and open_alerts.repo_full_name = repository_state.repo_full_name
)

select * from final
