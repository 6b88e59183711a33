-- depends_on: {{ ref('int_initiatives_current') }}
{{
    config(
        schema='intermediate',
        tags=['daily'],
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{% if is_incremental() %}delete from {{ this }} as existing where exists (select 1 from {{ ref('int_initiative_days') }} as rebuilt where rebuilt.invocation_id = '{{ invocation_id }}' and rebuilt.initiative_id = existing.initiative_id and rebuilt.evaluated_on = existing.evaluated_on){% endif %}",
    )
}}
{#- Which entities each initiative in force covers on each day: its fact filter (domain,
    tier, lifecycle, where; compiled and validated like a rule condition) and its teams
    (the owning team, or a group above it in the current hierarchy, is listed). A filter
    that cannot be decided (a fact it reads is unknown) leaves the entity out. Built for
    the (initiative, day) pairs of int_initiative_days. -#}
{%- set dialect = rule_dialect() -%}
{%- if execute -%}
    {%- set initiatives = run_query(
        "select initiative_id, definition_hash, "
        ~ "entity_filter_sql_" ~ dialect ~ " as filter_sql "
        ~ "from " ~ ref('int_initiatives_current') ~ " order by initiative_id"
    ) -%}
{%- else -%}
    {%- set initiatives = [] -%}
{%- endif -%}
with

to_build as (
    select initiative_id, definition_hash, evaluated_on
    from {{ ref('int_initiative_days') }}
    {%- if is_incremental() %}
    where invocation_id = '{{ invocation_id }}'
    {%- endif %}
),

f as (
    select facts.*
    from {{ ref('fct_entity_facts') }} as facts
    inner join (select distinct evaluated_on from to_build) as days
        on days.evaluated_on = facts.evaluated_on
),

filtered as (
    {%- for initiative in initiatives %}
    select
        f.evaluated_on,
        to_build.initiative_id,
        to_build.definition_hash,
        f.entity_ref,
        f.team_ref,
        f.owner_ref,
        f.domain_ref
    from f
    inner join to_build
        on to_build.evaluated_on = f.evaluated_on
        and to_build.initiative_id = '{{ initiative.initiative_id }}'
        and to_build.definition_hash = '{{ initiative.definition_hash }}'
    {%- if initiative.filter_sql %}
    where coalesce(({{ initiative.filter_sql }}), false)
    {%- endif %}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
    {%- if initiatives | length == 0 %}
    select
        cast(null as date) as evaluated_on,
        cast(null as varchar) as initiative_id,
        cast(null as varchar) as definition_hash,
        cast(null as varchar) as entity_ref,
        cast(null as varchar) as team_ref,
        cast(null as varchar) as owner_ref,
        cast(null as varchar) as domain_ref
    where 1 = 0
    {%- endif %}
),

initiative_teams as (
    select * from {{ ref('stg_scorecards__initiative_teams') }}
),

ancestry as (
    select team_ref, ancestor_ref from {{ ref('int_team_ancestry') }}
),

final as (
    select
        filtered.evaluated_on,
        filtered.initiative_id,
        filtered.definition_hash,
        filtered.entity_ref,
        filtered.team_ref,
        filtered.owner_ref,
        filtered.domain_ref,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as evaluated_at,
        '{{ invocation_id }}' as invocation_id
    from filtered
    where not exists (
        select 1
        from initiative_teams
        where initiative_teams.initiative_id = filtered.initiative_id
            and initiative_teams.definition_hash = filtered.definition_hash
    )
    or exists (
        select 1
        from initiative_teams
        inner join ancestry on ancestry.ancestor_ref = initiative_teams.team_ref
        where initiative_teams.initiative_id = filtered.initiative_id
            and initiative_teams.definition_hash = filtered.definition_hash
            and ancestry.team_ref = filtered.team_ref
    )
)

select * from final
