-- depends_on: {{ ref('int_rules_current') }}
-- depends_on: {{ ref('int_evaluation_request') }}
{{
    config(
        tags=['daily'],
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['evaluated_on'],
        post_hook={'sql': "{{ pause_point('dbt:after-outcomes') }}", 'transaction': false},
    )
}}
{#- The outcome of every (day, scorecard, rule, entity): pass, fail, unknown, exempt or
    not_applicable, with the points at stake, the reason and the fact values behind it.

    Rules are data: this model reads the rules in force (int_rules_current) at run time
    and compiles each one's validated condition into one select. Semantics (DESIGN.md):
      - not_applicable: before effective_from, or the rule's applies_to is false;
      - exempt: an active exemption (starts_on <= day < expires_on);
      - pass / fail: the condition is true / false (SQL three-valued logic: a condition
        that is false whatever the missing facts would be is a fail, not unknown);
      - unknown: the condition is NULL because a fact it needs is missing or stale, or the
        database could not evaluate the rule on this data (an overflow, a cast a value
        cannot take): the orchestration then records the rule in raw_meta.rule_errors for
        this evaluation and builds again, and the rule is unknown with the database's
        error as the reason, while every other rule is evaluated. -#}
{%- set dialect = rule_dialect() -%}
{#- Read at run time, not through a staging view: the errors of this evaluation are
    written after its first build, and the rebuild must see them. -#}
{%- set rule_errors = source_or_empty('raw_meta', 'rule_errors', {
    'request_id': 'varchar', 'scorecard_id': 'varchar', 'definition_hash': 'varchar',
    'rule_id': 'varchar', 'part': 'varchar', 'error': 'varchar',
}) -%}
{%- if execute -%}
    {%- set rules = run_query(
        "with errors as (select scorecard_id, definition_hash, rule_id, min(part) as part, "
        ~ "min(error) as error from (" ~ rule_errors ~ ") as recorded"
        ~ " where request_id in (select request_id from " ~ ref('int_evaluation_request') ~ ")"
        ~ " group by scorecard_id, definition_hash, rule_id) "
        ~ "select rules.scorecard_id, rules.definition_hash, rules.rule_id, rules.level, "
        ~ "rules.level_rank, rules.points, "
        ~ "cast(rules.effective_from as varchar) as effective_from, "
        ~ "rules.condition_sql_" ~ dialect ~ " as condition_sql, rules.condition_facts, "
        ~ "rules.applies_to_sql_" ~ dialect ~ " as applies_to_sql, rules.applies_to_facts, "
        ~ "rules.scorecard_applies_to_sql_" ~ dialect ~ " as scope_sql, "
        ~ "errors.part as error_part, errors.error as error_text "
        ~ "from " ~ ref('int_rules_current') ~ " as rules "
        ~ "left join errors on errors.scorecard_id = rules.scorecard_id "
        ~ "and errors.definition_hash = rules.definition_hash and errors.rule_id = rules.rule_id "
        ~ "order by rules.scorecard_id, rules.position"
    ) -%}
{%- else -%}
    {%- set rules = [] -%}
{%- endif -%}
with

days as (
    {{ days_to_evaluate() }}
),

f as (
    select facts.*
    from {{ ref('fct_entity_facts') }} as facts
    inner join days on days.evaluated_on = facts.evaluated_on
),

exemptions as (
    select * from {{ ref('stg_scorecards__exemptions') }}
),

evaluated as (
    {%- for rule in rules %}
    {# A rule the database could not evaluate (see raw_meta.rule_errors): unknown, with the
        database's error, from the part that failed on (the scorecard's scope, the rule's
        applies_to, or its condition). #}
    {%- set broken = rule.error_part is not none -%}
    {%- set broken_reason = "'the database could not evaluate the "
        ~ {'scope': "scorecard''s applies_to", 'applies_to': "rule''s applies_to"}.get(
            rule.error_part, 'condition') ~ ": "
        ~ (rule.error_text or '') | replace("'", "''") ~ "'" -%}
    {%- set scope_ok = not broken or rule.error_part != 'scope' -%}
    {%- set applies_ok = not broken or rule.error_part == 'condition' -%}
    select
        f.evaluated_on,
        '{{ rule.scorecard_id }}' as scorecard_id,
        '{{ rule.definition_hash }}' as definition_hash,
        '{{ rule.rule_id }}' as rule_id,
        '{{ rule.level }}' as level,
        {{ rule.level_rank }} as level_rank,
        f.entity_ref,
        {{ rule.points }} as points,
        case
            {%- if rule.effective_from %}
            when f.evaluated_on < cast('{{ rule.effective_from }}' as date) then 'not_applicable'
            {%- endif %}
            {%- if not applies_ok %}
            when true then 'unknown'
            {%- elif rule.applies_to_sql %}
            when ({{ rule.applies_to_sql }}) is null then 'unknown'
            when not ({{ rule.applies_to_sql }}) then 'not_applicable'
            {%- endif %}
            {%- if broken %}
            when true then 'unknown'
            {%- else %}
            when ({{ rule.condition_sql }}) then 'pass'
            when not ({{ rule.condition_sql }}) then 'fail'
            {%- endif %}
            else 'unknown'
        end as raw_outcome,
        case
            {%- if rule.effective_from %}
            when f.evaluated_on < cast('{{ rule.effective_from }}' as date)
                then 'not effective until {{ rule.effective_from }}'
            {%- endif %}
            {%- if not applies_ok %}
            when true then {{ broken_reason }}
            {%- elif rule.applies_to_sql %}
            when ({{ rule.applies_to_sql }}) is null
                then 'applies_to cannot be decided: ' || {{ missing_facts_reason(rule.applies_to_facts) }}
            when not ({{ rule.applies_to_sql }}) then 'excluded by the rule''s applies_to filter'
            {%- endif %}
            {%- if broken %}
            when true then {{ broken_reason }}
            {%- else %}
            when ({{ rule.condition_sql }}) is null
                then coalesce(
                    nullif({{ missing_facts_reason(rule.condition_facts) }}, ''),
                    'the condition evaluated to NULL'
                )
            when not ({{ rule.condition_sql }})
                then {{ failure_reason(rule.condition_facts) }}
            {%- endif %}
        end as raw_reason,
        {{ fact_values_text(rule.condition_facts) }} as fact_values
    from f
    where {% if scope_ok %}coalesce(({{ rule.scope_sql }}), false){% else %}true{% endif %}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
    {%- if rules | length == 0 %}
    select
        cast(null as date) as evaluated_on,
        cast(null as varchar) as scorecard_id,
        cast(null as varchar) as definition_hash,
        cast(null as varchar) as rule_id,
        cast(null as varchar) as level,
        cast(null as integer) as level_rank,
        cast(null as varchar) as entity_ref,
        cast(null as integer) as points,
        cast(null as varchar) as raw_outcome,
        cast(null as varchar) as raw_reason,
        cast(null as varchar) as fact_values
    where 1 = 0
    {%- endif %}
),

active_exemptions as (
    select
        evaluated.evaluated_on,
        evaluated.scorecard_id,
        evaluated.rule_id,
        evaluated.entity_ref,
        min(
            'exempt'
            || case when exemptions.expires_on is not null
                then ' until ' || cast(exemptions.expires_on as varchar) else '' end
            || ' (approved by ' || exemptions.approved_by || '): ' || exemptions.reason
        ) as exemption_reason
    from evaluated
    inner join exemptions
        on exemptions.entity_ref = evaluated.entity_ref
        and exemptions.scorecard_id = evaluated.scorecard_id
        and exemptions.rule_id in (evaluated.rule_id, '*')
        and exemptions.starts_on <= evaluated.evaluated_on
        and (exemptions.expires_on is null or evaluated.evaluated_on < exemptions.expires_on)
    where evaluated.raw_outcome <> 'not_applicable'
    group by evaluated.evaluated_on, evaluated.scorecard_id, evaluated.rule_id, evaluated.entity_ref
),

final as (
    select
        evaluated.evaluated_on,
        evaluated.scorecard_id,
        evaluated.rule_id,
        evaluated.entity_ref,
        evaluated.level,
        evaluated.level_rank,
        case
            when active_exemptions.exemption_reason is not null then 'exempt'
            else evaluated.raw_outcome
        end as outcome,
        case
            when active_exemptions.exemption_reason is not null then 0
            when evaluated.raw_outcome in ('pass', 'fail', 'unknown') then evaluated.points
            else 0
        end as points_possible,
        case
            when active_exemptions.exemption_reason is null and evaluated.raw_outcome = 'pass'
                then evaluated.points
            else 0
        end as points_earned,
        coalesce(active_exemptions.exemption_reason, evaluated.raw_reason) as reason,
        evaluated.fact_values,
        evaluated.definition_hash,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as evaluated_at,
        '{{ invocation_id }}' as invocation_id
    from evaluated
    left join active_exemptions
        on active_exemptions.evaluated_on = evaluated.evaluated_on
        and active_exemptions.scorecard_id = evaluated.scorecard_id
        and active_exemptions.rule_id = evaluated.rule_id
        and active_exemptions.entity_ref = evaluated.entity_ref
)

select * from final
