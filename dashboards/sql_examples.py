"""Saved example queries of the SQL page (documented in docs/sql-examples.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SqlExample:
    title: str
    purpose: str
    sql: str


EXAMPLES: list[SqlExample] = [
    SqlExample(
        "Services below bronze, by team",
        "Which services hold no level on the latest day, and who owns them.",
        """\
select coalesce(teams.title, entities.owner_ref) as team,
    entities.title as service, scores.score_pct, scores.next_level
from marts.fct_entity_scores as scores
join marts.dim_entities as entities using (entity_ref)
left join marts.dim_teams as teams on teams.team_ref = entities.team_ref
where scores.evaluated_on = (select max(evaluated_on) from marts.fct_entity_scores)
    and scores.level is null
order by team, scores.score_pct""",
    ),
    SqlExample(
        "Pass rate of every rule, latest day",
        "The organisation's pass and unknown rate per rule, lowest pass rate first.",
        """\
select rates.rule_id, rules.level, rules.points, rates.pass_rate_pct,
    rates.unknown_rate_pct, rates.fail_count
from marts.fct_rule_pass_rates_daily as rates
join marts.dim_rules as rules
    on rules.scorecard_id = rates.scorecard_id and rules.rule_id = rates.rule_id
    and rules.is_current
where rates.scope_type = 'organisation'
    and rates.evaluated_on = (select max(evaluated_on) from marts.fct_rule_pass_rates_daily)
order by rates.pass_rate_pct""",
    ),
    SqlExample(
        "Team scores, 30 days apart",
        "Each team's average score (child teams included) now and 30 days earlier.",
        """\
with latest as (select max(evaluated_on) as day from marts.fct_scores_daily)
select teams.title as team, now_.entity_count as services,
    then_.avg_score_pct as score_30d_ago, now_.avg_score_pct as score_now,
    round(now_.avg_score_pct - then_.avg_score_pct, 1) as change
from marts.fct_scores_daily as now_
cross join latest
join marts.dim_teams as teams on teams.team_ref = now_.scope_ref
left join marts.fct_scores_daily as then_
    on then_.scorecard_id = now_.scorecard_id and then_.scope_type = now_.scope_type
    and then_.scope_ref = now_.scope_ref and then_.evaluated_on = latest.day - 30
where now_.scope_type = 'team_tree' and now_.evaluated_on = latest.day
order by change nulls last""",
    ),
    SqlExample(
        "Unknown outcomes and their reasons",
        "Why rules could not be evaluated on the latest day: missing facts, stale sources.",
        """\
select rule_id, reason, count(*) as entities
from marts.fct_rule_outcomes
where outcome = 'unknown'
    and evaluated_on = (select max(evaluated_on) from marts.fct_rule_outcomes)
group by rule_id, reason
order by entities desc""",
    ),
    SqlExample(
        "Services that lost a level this week",
        "Entities holding a lower level than seven days before (fct_movers).",
        """\
select movers.subject_ref as service, entities.title, movers.level_then,
    movers.level_now, movers.score_then, movers.score_now
from marts.fct_movers as movers
left join marts.dim_entities as entities on entities.entity_ref = movers.subject_ref
where movers.subject_type = 'entity' and movers.window_days = 7 and movers.lost_level
order by movers.level_change, movers.score_change""",
    ),
    SqlExample(
        "Evidence for one service",
        "Every rule's outcome, the facts it read and the definition hash, on the latest day.",
        """\
select evaluated_on, rule_id, outcome, reason, fact_values, definition_hash
from marts.fct_rule_outcomes
where entity_ref = (select min(entity_ref) from marts.fct_entity_scores)
    and evaluated_on = (select max(evaluated_on) from marts.fct_rule_outcomes)
order by level_rank, rule_id""",
    ),
    SqlExample(
        "Evaluation record",
        "When each day was evaluated, by what, and under which definition.",
        """\
select evaluated_on, scorecard_id, left(definition_hash, 12) as definition,
    is_reevaluation, evaluated_at, trigger, triggered_by
from marts.fct_evaluations
order by evaluated_at desc, evaluated_on desc
limit 50""",
    ),
    SqlExample(
        "Columns of a mart",
        "What a table holds (see the Data docs page for descriptions).",
        "describe marts.fct_entity_scores",
    ),
]
