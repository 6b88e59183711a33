{#- Code coverage per entity and day: the line rate of the latest Cobertura report of the
    entity's repository in the coverage snapshot in force on the day. -#}
with

entities as (
    select evaluated_on, entity_ref, lower(github_repo) as repo_full_name
    from {{ ref('int_catalog_entities_daily') }}
    where kind = 'component'
),

snapshot_days as (
    select evaluated_on, snapshot_on
    from {{ ref('int_provider_snapshot_days') }}
    where provider = 'coverage'
),

final as (
    select
        entities.evaluated_on,
        entities.entity_ref,
        reports.repo_full_name is not null as has_coverage_report,
        reports.line_rate_pct as code_coverage_pct
    from entities
    left join snapshot_days on snapshot_days.evaluated_on = entities.evaluated_on
    left join {{ ref('stg_coverage__reports') }} as reports
        on reports.snapshot_on = snapshot_days.snapshot_on
        and reports.repo_full_name = entities.repo_full_name
)

select * from final
