"""Every SQL statement the dashboard pages run, in one place. Marts only.

Parameters are positional (`$1`, `$2`, ...) and passed by `dashboards.data.query`; no
value is ever formatted into the text. Each page reads one day (a scorecard's evaluated
day) or one entity's history, so a query touches thousands of rows, not millions, even
with years of history: the daily marts are stored in day order and DuckDB skips the
other days' row groups.
"""

# --- global filters --------------------------------------------------------------------

SCORECARDS = """
select scorecard_id, name, description, definition_hash
from marts.dim_scorecards
where is_current
order by scorecard_id
"""

# $1 scorecard
EVALUATED_RANGE = """
select min(evaluated_on) as first_day, max(evaluated_on) as last_day, count(*) as days
from marts.fct_scores_daily
where scorecard_id = $1 and scope_type = 'organisation'
"""

# $1 scorecard, $2 chosen day: the evaluated day on or before it
DAY_ON_OR_BEFORE = """
select max(evaluated_on) as day
from marts.fct_scores_daily
where scorecard_id = $1 and scope_type = 'organisation' and evaluated_on <= $2
"""

# $1 scorecard, $2 day: the definition (hash) the day was evaluated with, latest evaluation
DAY_DEFINITION = """
select definition_hash
from marts.fct_evaluations
where scorecard_id = $1 and evaluated_on = $2
order by evaluated_at desc
limit 1
"""

# $1 scorecard, $2 definition hash
RULES_OF_DEFINITION = """
select rule_id, name, level, level_rank, points, position, description, remediation,
    condition_text, condition_facts, applies_to_text, effective_from
from marts.dim_rules
where scorecard_id = $1 and definition_hash = $2
order by level_rank, position
"""

# $1 scorecard, $2 definition hash
LEVELS_OF_DEFINITION = """
select level, level_rank, description
from marts.dim_levels
where scorecard_id = $1 and definition_hash = $2
order by level_rank
"""

# --- overview --------------------------------------------------------------------------

# $1 scorecard, $2 day: the organisation on the day and seven days before
ORG_SUMMARY = """
select
    now_.entity_count,
    now_.avg_score_pct,
    now_.points_score_pct,
    now_.entities_without_level,
    now_.pass_count,
    now_.fail_count,
    now_.unknown_count,
    now_.exempt_count,
    now_.unknown_rate_pct,
    then_.avg_score_pct as avg_score_pct_7d_ago,
    then_.unknown_rate_pct as unknown_rate_pct_7d_ago,
    then_.entity_count as entity_count_7d_ago
from marts.fct_scores_daily as now_
left join marts.fct_scores_daily as then_
    on then_.scorecard_id = now_.scorecard_id
    and then_.scope_type = now_.scope_type
    and then_.scope_ref = now_.scope_ref
    and then_.evaluated_on = now_.evaluated_on - interval 7 day
where now_.scorecard_id = $1 and now_.scope_type = 'organisation' and now_.evaluated_on = $2
"""

# $1 scorecard, $2 day, $3 scope type, $4 scope ref: the score trend up to the day
SCOPE_TREND = """
select evaluated_on, entity_count, avg_score_pct, points_score_pct, unknown_rate_pct,
    pass_rate_pct
from marts.fct_scores_daily
where scorecard_id = $1 and evaluated_on <= $2 and scope_type = $3 and scope_ref = $4
order by evaluated_on
"""

# $1 scorecard, $2 day, $3 scope type, $4 scope ref: entities per level up to the day
SCOPE_LEVEL_TREND = """
select evaluated_on, coalesce(level, 'none') as level, level_rank, entity_count
from marts.fct_level_counts_daily
where scorecard_id = $1 and evaluated_on <= $2 and scope_type = $3 and scope_ref = $4
order by evaluated_on, level_rank
"""

# $1 scorecard, $2 day (must be the mart's as_of), $3 window days
MOVERS = """
select
    movers.subject_type,
    movers.subject_ref,
    coalesce(entities.title, teams.title, movers.subject_ref) as title,
    entities.team_ref,
    movers.score_then,
    movers.score_now,
    movers.score_change,
    movers.level_then,
    movers.level_now,
    movers.level_change,
    movers.lost_level
from marts.fct_movers as movers
left join marts.dim_entities as entities
    on movers.subject_type = 'entity' and entities.entity_ref = movers.subject_ref
left join marts.dim_teams as teams
    on movers.subject_type = 'team_tree' and 'team_tree:' || teams.team_ref = movers.subject_ref
where movers.scorecard_id = $1 and movers.as_of = $2 and movers.window_days = $3
    and movers.subject_type in ('entity', 'team_tree')
"""

# $1 scorecard, $2 day, $3 window days: the same as MOVERS for a day that is not the
# latest (fct_movers holds the latest day only), from the scores of both ends
MOVERS_AT_DAY = """
with

entity_scores as (
    select evaluated_on, entity_ref as subject_ref, score_pct, level, level_rank
    from marts.fct_entity_scores
    where scorecard_id = $1
        and evaluated_on in ($2, cast($2 as date) - cast($3 as integer))
),

tree_scores as (
    select evaluated_on, 'team_tree:' || scope_ref as subject_ref, avg_score_pct as score_pct
    from marts.fct_scores_daily
    where scorecard_id = $1 and scope_type = 'team_tree'
        and evaluated_on in ($2, cast($2 as date) - cast($3 as integer))
),

entity_moves as (
    select 'entity' as subject_type, now_.subject_ref, then_.score_pct as score_then,
        now_.score_pct as score_now, now_.score_pct - then_.score_pct as score_change,
        then_.level as level_then, now_.level as level_now,
        now_.level_rank - then_.level_rank as level_change
    from entity_scores as now_
    inner join entity_scores as then_
        on then_.subject_ref = now_.subject_ref
        and then_.evaluated_on = cast($2 as date) - cast($3 as integer)
    where now_.evaluated_on = $2
),

tree_moves as (
    select 'team_tree' as subject_type, now_.subject_ref, then_.score_pct as score_then,
        now_.score_pct as score_now, now_.score_pct - then_.score_pct as score_change,
        cast(null as varchar) as level_then, cast(null as varchar) as level_now,
        cast(null as integer) as level_change
    from tree_scores as now_
    inner join tree_scores as then_
        on then_.subject_ref = now_.subject_ref
        and then_.evaluated_on = cast($2 as date) - cast($3 as integer)
    where now_.evaluated_on = $2
),

moves as (
    select * from entity_moves
    union all
    select * from tree_moves
)

select
    moves.subject_type,
    moves.subject_ref,
    coalesce(entities.title, teams.title, moves.subject_ref) as title,
    entities.team_ref,
    moves.score_then,
    moves.score_now,
    round(moves.score_change, 2) as score_change,
    moves.level_then,
    moves.level_now,
    moves.level_change,
    coalesce(moves.level_change < 0, false) as lost_level
from moves
left join marts.dim_entities as entities
    on moves.subject_type = 'entity' and entities.entity_ref = moves.subject_ref
left join marts.dim_teams as teams
    on moves.subject_type = 'team_tree' and 'team_tree:' || teams.team_ref = moves.subject_ref
"""

# $1 scorecard, $2 day: every team with its own services and with its child teams'
TEAM_SCORES = """
with

direct as (
    select scope_ref, entity_count, avg_score_pct, unknown_rate_pct, pass_count, fail_count,
        unknown_count, exempt_count
    from marts.fct_scores_daily
    where scorecard_id = $1 and evaluated_on = $2 and scope_type = 'team'
),

tree as (
    select scope_ref, entity_count, avg_score_pct
    from marts.fct_scores_daily
    where scorecard_id = $1 and evaluated_on = $2 and scope_type = 'team_tree'
),

final as (
    select
        coalesce(teams.team_ref, direct.scope_ref, tree.scope_ref) as team_ref,
        coalesce(teams.title, direct.scope_ref, tree.scope_ref) as team,
        teams.parent_ref,
        coalesce(teams.depth, 0) as depth,
        teams.path,
        direct.entity_count as direct_entities,
        direct.avg_score_pct as direct_score_pct,
        direct.unknown_rate_pct as direct_unknown_rate_pct,
        direct.pass_count,
        direct.fail_count,
        direct.unknown_count,
        direct.exempt_count,
        tree.entity_count as tree_entities,
        tree.avg_score_pct as tree_score_pct
    from direct
    full outer join tree on tree.scope_ref = direct.scope_ref
    left join marts.dim_teams as teams
        on teams.team_ref = coalesce(direct.scope_ref, tree.scope_ref)
)

select * from final
order by coalesce(path, team_ref)
"""

# --- heat map --------------------------------------------------------------------------
# Rows are computed from one day's outcomes and facts, so every filter combines:
# $1 scorecard, $2 day, $3 domain, $4 lifecycle, $5 tier, $6 team (its whole tree),
# $7 direct-only (services owned by $6 itself). NULL means "any".

_HEATMAP_SCOPE = """
with

facts as (
    select
        facts.entity_ref,
        coalesce(facts.domain_ref, '(no domain)') as domain_ref,
        facts.team_ref,
        facts.lifecycle,
        facts.tier
    from marts.fct_entity_facts as facts
    where facts.evaluated_on = $2
        and ($3 is null or coalesce(facts.domain_ref, '(no domain)') = $3)
        and ($4 is null or facts.lifecycle = $4)
        and ($5 is null or facts.tier = $5)
),

placed as (
    select
        facts.*,
        case
            when facts.team_ref is null then []
            else coalesce(string_split(teams.path, ' > '), [facts.team_ref])
        end as team_path
    from facts
    left join marts.dim_teams as teams on teams.team_ref = facts.team_ref
),

in_scope as (
    select *, list_position(team_path, $6) as team_position
    from placed
    where ($6 is null or list_contains(team_path, $6))
        and (not coalesce($7, false) or team_ref = $6)
),
"""

_HEATMAP_CELLS = """
outcomes as (
    select outcomes.entity_ref, outcomes.rule_id, outcomes.outcome
    from marts.fct_rule_outcomes as outcomes
    where outcomes.scorecard_id = $1 and outcomes.evaluated_on = $2
),

scores as (
    select entity_ref, score_pct
    from marts.fct_entity_scores
    where scorecard_id = $1 and evaluated_on = $2
),

cells as (
    select
        rows_.row_ref,
        outcomes.rule_id,
        count(*) filter (where outcomes.outcome = 'pass') as pass_count,
        count(*) filter (where outcomes.outcome = 'fail') as fail_count,
        count(*) filter (where outcomes.outcome = 'unknown') as unknown_count,
        count(*) filter (where outcomes.outcome = 'exempt') as exempt_count,
        count(*) filter (where outcomes.outcome = 'not_applicable') as not_applicable_count
    from outcomes
    inner join rows_ on rows_.entity_ref = outcomes.entity_ref
    group by rows_.row_ref, outcomes.rule_id
),

row_totals as (
    select rows_.row_ref, count(*) as entity_count,
        round(avg(scores.score_pct), 2) as avg_score_pct
    from rows_
    inner join scores on scores.entity_ref = rows_.entity_ref
    group by rows_.row_ref
)

select
    cells.row_ref,
    row_totals.entity_count,
    row_totals.avg_score_pct,
    cells.rule_id,
    cells.pass_count,
    cells.fail_count,
    cells.unknown_count,
    cells.exempt_count,
    cells.not_applicable_count,
    case when cells.pass_count + cells.fail_count + cells.unknown_count > 0
        then round(100.0 * cells.pass_count
            / (cells.pass_count + cells.fail_count + cells.unknown_count), 2)
    end as pass_rate_pct,
    case when cells.pass_count + cells.fail_count + cells.unknown_count > 0
        then round(100.0 * cells.unknown_count
            / (cells.pass_count + cells.fail_count + cells.unknown_count), 2)
    end as unknown_rate_pct
from cells
inner join row_totals on row_totals.row_ref = cells.row_ref
"""

# One row per domain.
HEATMAP_BY_DOMAIN = (
    _HEATMAP_SCOPE
    + """
rows_ as (
    select entity_ref, domain_ref as row_ref from in_scope
),
"""
    + _HEATMAP_CELLS
)

# One row per team one step below $6 (the top-level teams when $6 is NULL), plus one row
# for the services $6 owns itself (row_ref = $6), kept apart from its child teams'.
HEATMAP_BY_TEAM = (
    _HEATMAP_SCOPE
    + """
rows_ as (
    select
        entity_ref,
        case
            when team_ref is null then '(owner not resolved)'
            when $6 is null then team_path[1]
            when team_ref = $6 then $6
            else team_path[team_position + 1]
        end as row_ref
    from in_scope
),
"""
    + _HEATMAP_CELLS
)

# $1 scorecard, $2 day, ... as above, $8 row limit: one row per entity, the lowest
# scores first; a cell is the outcome itself.
HEATMAP_BY_ENTITY = (
    _HEATMAP_SCOPE
    + """
scores as (
    select entity_ref, score_pct, level, level_rank
    from marts.fct_entity_scores
    where scorecard_id = $1 and evaluated_on = $2
),

chosen as (
    select in_scope.entity_ref, in_scope.team_ref, scores.score_pct, scores.level,
        count(*) over () as entities_in_scope
    from in_scope
    inner join scores on scores.entity_ref = in_scope.entity_ref
    order by scores.score_pct asc nulls first, in_scope.entity_ref
    limit $8
)

select
    chosen.entity_ref as row_ref,
    coalesce(entities.title, chosen.entity_ref) as title,
    chosen.team_ref,
    chosen.score_pct as avg_score_pct,
    chosen.level,
    chosen.entities_in_scope,
    outcomes.rule_id,
    outcomes.outcome,
    outcomes.reason,
    outcomes.fact_values
from chosen
inner join marts.fct_rule_outcomes as outcomes
    on outcomes.entity_ref = chosen.entity_ref
    and outcomes.scorecard_id = $1
    and outcomes.evaluated_on = $2
left join marts.dim_entities as entities on entities.entity_ref = chosen.entity_ref
"""
)

# $1 day: the values the heat map's filters can take that day
HEATMAP_FILTER_VALUES = """
select
    list(distinct coalesce(domain_ref, '(no domain)') order by coalesce(domain_ref, '(no domain)'))
        as domains,
    list(distinct lifecycle order by lifecycle) filter (where lifecycle is not null)
        as lifecycles,
    list(distinct tier order by tier) filter (where tier is not null) as tiers
from marts.fct_entity_facts
where evaluated_on = $1
"""

DOMAINS = """
select entity_ref as domain_ref, title
from marts.dim_entities
where kind = 'domain'
order by title
"""

# --- teams -----------------------------------------------------------------------------

TEAMS = """
select team_ref, title, path, depth, parent_ref, team_type, catalog_member_count,
    owned_entity_count
from marts.dim_teams
order by path
"""

# $1 team
TEAM = """
select teams.team_ref, teams.title, teams.name, teams.team_type, teams.parent_ref,
    teams.root_ref, teams.depth, teams.path, teams.catalog_member_count,
    teams.owned_entity_count, teams.is_current,
    (select count(*) from marts.dim_teams as children where children.parent_ref = teams.team_ref)
        as child_team_count
from marts.dim_teams as teams
where teams.team_ref = $1
"""

# $1 team: the catalog's problems about the team's Group and the entities it owns (its
# Users' included), in the latest catalog snapshot
TEAM_CATALOG_PROBLEMS = """
select problems.entity_ref, problems.severity, problems.problem, problems.message,
    problems.hint, problems.file, problems.document_index, problems.line
from marts.fct_catalog_problems as problems
where problems.snapshot_on = (select max(last_seen_on) from marts.dim_entities)
    and problems.entity_ref in (
        select $1
        union all
        select entity_ref from marts.dim_entities where is_current and team_ref = $1
    )
order by case problems.severity when 'error' then 0 when 'warning' then 1 else 2 end,
    problems.entity_ref, problems.line
"""

# $1 scorecard, $2 day, $3 team: the team's own services and its child teams', that day
TEAM_SERVICES = """
with

facts as (
    select facts.entity_ref, facts.team_ref, facts.lifecycle, facts.tier
    from marts.fct_entity_facts as facts
    left join marts.dim_teams as teams on teams.team_ref = facts.team_ref
    where facts.evaluated_on = $2
        and (facts.team_ref = $3 or list_contains(string_split(teams.path, ' > '), $3))
)

select
    scores.entity_ref,
    coalesce(entities.title, scores.entity_ref) as title,
    facts.team_ref,
    coalesce(teams.title, facts.team_ref) as team,
    facts.team_ref = $3 as owned_directly,
    facts.lifecycle,
    facts.tier,
    scores.score_pct,
    coalesce(scores.level, 'none') as level,
    scores.level_rank,
    scores.potential_level,
    scores.next_level,
    scores.pass_count,
    scores.fail_count,
    scores.unknown_count,
    scores.exempt_count
from marts.fct_entity_scores as scores
inner join facts on facts.entity_ref = scores.entity_ref
left join marts.dim_entities as entities on entities.entity_ref = scores.entity_ref
left join marts.dim_teams as teams on teams.team_ref = facts.team_ref
where scores.scorecard_id = $1 and scores.evaluated_on = $2
order by not (facts.team_ref = $3), scores.score_pct, scores.entity_ref
"""

# $1 scorecard, $2 day, $3 team: rules failing or unknown across the team's services
# (its child teams' included), with the points at stake and how many services the rule
# keeps from their next level.
TEAM_RULE_GAPS = """
with

facts as (
    select facts.entity_ref
    from marts.fct_entity_facts as facts
    left join marts.dim_teams as teams on teams.team_ref = facts.team_ref
    where facts.evaluated_on = $2
        and (facts.team_ref = $3 or list_contains(string_split(teams.path, ' > '), $3))
),

scores as (
    select scores.entity_ref, scores.level_rank
    from marts.fct_entity_scores as scores
    inner join facts on facts.entity_ref = scores.entity_ref
    where scores.scorecard_id = $1 and scores.evaluated_on = $2
),

outcomes as (
    select outcomes.rule_id, outcomes.entity_ref, outcomes.outcome, outcomes.level,
        outcomes.level_rank, outcomes.definition_hash, outcomes.points_possible,
        scores.level_rank as entity_level_rank
    from marts.fct_rule_outcomes as outcomes
    inner join scores on scores.entity_ref = outcomes.entity_ref
    where outcomes.scorecard_id = $1 and outcomes.evaluated_on = $2
        and outcomes.outcome in ('fail', 'unknown')
),

gaps as (
    select
        rule_id,
        definition_hash,
        min(level) as level,
        min(level_rank) as level_rank,
        count(*) filter (where outcome = 'fail') as failing_services,
        count(*) filter (where outcome = 'unknown') as unknown_services,
        sum(points_possible) filter (where outcome = 'fail') as points_at_stake,
        count(*) filter (where outcome = 'fail' and level_rank = entity_level_rank + 1)
            as blocks_next_level
    from outcomes
    group by rule_id, definition_hash
)

select
    gaps.rule_id,
    rules.name,
    gaps.level,
    gaps.level_rank,
    rules.points,
    gaps.failing_services,
    gaps.unknown_services,
    coalesce(gaps.points_at_stake, 0) as points_at_stake,
    gaps.blocks_next_level,
    rules.remediation,
    rules.description
from gaps
left join marts.dim_rules as rules
    on rules.scorecard_id = $1
    and rules.definition_hash = gaps.definition_hash
    and rules.rule_id = gaps.rule_id
order by points_at_stake desc, gaps.level_rank, rules.position
"""

# $1 scorecard, $2 day, $3 team: levels of the team's services (child teams' included)
TEAM_LEVELS = """
select coalesce(level, 'none') as level, level_rank, entity_count
from marts.fct_level_counts_daily
where scorecard_id = $1 and evaluated_on = $2 and scope_type = 'team_tree' and scope_ref = $3
order by level_rank
"""

# --- services --------------------------------------------------------------------------

# $1 scorecard, $2 day: the entities scored that day, for the picker
SCORED_ENTITIES = """
select scores.entity_ref, coalesce(entities.title, scores.entity_ref) as title
from marts.fct_entity_scores as scores
left join marts.dim_entities as entities on entities.entity_ref = scores.entity_ref
where scores.scorecard_id = $1 and scores.evaluated_on = $2
order by title, scores.entity_ref
"""

# $1 entity
ENTITY = """
select
    entities.*,
    teams.title as team_title,
    teams.path as team_path,
    teams.catalog_member_count as team_member_count,
    systems.title as system_title,
    domains.title as domain_title
from marts.dim_entities as entities
left join marts.dim_teams as teams on teams.team_ref = entities.team_ref
left join marts.dim_entities as systems on systems.entity_ref = entities.system_ref
left join marts.dim_entities as domains on domains.entity_ref = entities.domain_ref
where entities.entity_ref = $1
"""

# $1 entity: the catalog's problems about it, in the latest catalog snapshot
ENTITY_CATALOG_PROBLEMS = """
select severity, problem, message, hint, file, document_index, line
from marts.fct_catalog_problems
where entity_ref = $1 and snapshot_on = (select max(last_seen_on) from marts.dim_entities)
order by case severity when 'error' then 0 when 'warning' then 1 else 2 end, line
"""

# $1 scorecard, $2 day, $3 entity
ENTITY_SCORE = """
select score_pct, coalesce(level, 'none') as level, level_rank, potential_level, next_level,
    points_earned, points_possible, rule_count, pass_count, fail_count, unknown_count,
    exempt_count, not_applicable_count, definition_hash
from marts.fct_entity_scores
where scorecard_id = $1 and evaluated_on = $2 and entity_ref = $3
"""

# $1 scorecard, $2 day, $3 entity: every rule's outcome with its reason and evidence
ENTITY_OUTCOMES = """
select
    outcomes.rule_id,
    rules.name,
    outcomes.level,
    outcomes.level_rank,
    rules.points,
    outcomes.outcome,
    outcomes.reason,
    outcomes.fact_values,
    rules.remediation,
    rules.description,
    rules.condition_text,
    outcomes.definition_hash
from marts.fct_rule_outcomes as outcomes
left join marts.dim_rules as rules
    on rules.scorecard_id = outcomes.scorecard_id
    and rules.definition_hash = outcomes.definition_hash
    and rules.rule_id = outcomes.rule_id
where outcomes.scorecard_id = $1 and outcomes.evaluated_on = $2 and outcomes.entity_ref = $3
order by outcomes.level_rank, rules.position, outcomes.rule_id
"""

# $1 day, $2 entity: every fact about the entity that day
ENTITY_FACTS = """
select * from marts.fct_entity_facts where evaluated_on = $1 and entity_ref = $2
"""

# $1 scorecard, $2 day, $3 entity: score and level up to the day
ENTITY_HISTORY = """
select evaluated_on, score_pct, coalesce(level, 'none') as level, level_rank,
    pass_count, fail_count, unknown_count
from marts.fct_entity_scores
where scorecard_id = $1 and entity_ref = $3 and evaluated_on <= $2
order by evaluated_on
"""

# $1 scorecard, $2 day, $3 entity, $4 first day: each rule's outcome per day
ENTITY_OUTCOME_HISTORY = """
select evaluated_on, rule_id, level_rank, outcome
from marts.fct_rule_outcomes
where scorecard_id = $1 and entity_ref = $3 and evaluated_on between $4 and $2
"""

# --- scorecards ------------------------------------------------------------------------

# $1 scorecard: every definition version, oldest first
SCORECARD_VERSIONS = """
select definition_hash, name, description, owner, applies_to_text, file, level_count,
    rule_count, total_points, first_loaded_at, first_in_force_on, last_in_force_on, is_current
from marts.dim_scorecards
where scorecard_id = $1
order by first_loaded_at, definition_hash
"""

# $1 scorecard: every rule of every version (for the changes between versions)
SCORECARD_RULE_VERSIONS = """
select definition_hash, rule_id, name, level, points, condition_text, applies_to_text,
    effective_from
from marts.dim_rules
where scorecard_id = $1
"""

# $1 scorecard: the days evaluated under each definition
EVALUATIONS_BY_DEFINITION = """
select
    definition_hash,
    min(evaluated_on) as first_day,
    max(evaluated_on) as last_day,
    count(distinct evaluated_on) as days,
    count(*) filter (where is_reevaluation) as reevaluations,
    max(evaluated_at) as last_evaluated_at
from marts.fct_evaluations
where scorecard_id = $1
group by definition_hash
order by first_day
"""

# $1 scorecard: re-evaluations (a day evaluated again, with the hash it replaced)
REEVALUATIONS = """
select evaluated_on, definition_hash, previous_definition_hash, evaluated_at, trigger,
    triggered_by
from marts.fct_evaluations
where scorecard_id = $1 and is_reevaluation
order by evaluated_at desc, evaluated_on desc
limit 200
"""

# --- initiatives ------------------------------------------------------------------------

# $1 scorecard, $2 day: the initiatives in force and their progress that day
INITIATIVES = """
select initiatives.initiative_id, initiatives.name, initiatives.description,
    initiatives.target_text, initiatives.entity_filter_text, initiatives.teams,
    initiatives.start_date, initiatives.due_date, initiatives.owner_ref, initiatives.file,
    initiatives.definition_hash, progress.entities_in_scope, progress.entities_done,
    progress.entities_remaining, progress.pct_complete, progress.expected_pct,
    progress.burn_rate_per_day, progress.projected_completion_on, progress.days_left,
    progress.status, progress.is_lagging
from marts.dim_initiatives as initiatives
left join marts.fct_initiative_progress_daily as progress
    on progress.initiative_id = initiatives.initiative_id
    and progress.scope_type = 'initiative'
    and progress.evaluated_on = $2
where initiatives.scorecard_id = $1 and initiatives.is_current
order by initiatives.due_date, initiatives.initiative_id
"""

# $1 initiative, $2 day: the whole initiative's burn-up up to that day
INITIATIVE_BURN_UP = """
select evaluated_on, entities_in_scope, entities_done, entities_remaining, pct_complete,
    expected_pct, projected_completion_on, status
from marts.fct_initiative_progress_daily
where initiative_id = $1 and scope_type = 'initiative' and evaluated_on <= $2
order by evaluated_on
"""

# $1 initiative, $2 day: each owning team's progress that day, lagging teams first
INITIATIVE_TEAMS = """
select progress.scope_ref as team_ref, coalesce(teams.title, progress.scope_ref) as team,
    progress.parent_team_ref, progress.entities_in_scope, progress.entities_done,
    progress.entities_remaining, progress.pct_complete, progress.expected_pct,
    progress.burn_rate_per_day, progress.projected_completion_on, progress.status,
    progress.is_lagging
from marts.fct_initiative_progress_daily as progress
left join marts.dim_teams as teams on teams.team_ref = progress.scope_ref
where progress.initiative_id = $1 and progress.scope_type = 'team'
    and progress.evaluated_on = $2
order by progress.is_lagging desc, progress.pct_complete, progress.entities_remaining desc,
    team
"""

# $1 initiative, $2 day: what remains to do, per entity and rule
INITIATIVE_ACTION_ITEMS = """
select items.team_ref,
    coalesce(teams.title, items.team_ref, '(owner not resolved)') as team, items.entity_ref,
    coalesce(entities.title, items.entity_ref) as entity, items.rule_id, items.rule_name,
    items.level, items.points, items.outcome, items.reason, items.remediation
from marts.fct_initiative_action_items as items
left join marts.dim_entities as entities on entities.entity_ref = items.entity_ref
left join marts.dim_teams as teams on teams.team_ref = items.team_ref
where items.initiative_id = $1 and items.evaluated_on = $2
order by team, entity, items.level_rank, items.rule_position
"""

# --- SQL page --------------------------------------------------------------------------

MART_COLUMNS = """
select table_name, list(column_name order by ordinal_position) as columns
from information_schema.columns
where table_schema = 'marts'
group by table_name
order by table_name
"""
