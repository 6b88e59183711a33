"""Every SQL statement the dashboard pages run, in one place. Marts only."""

LATEST_DAY = """
select max(evaluated_on) as day from marts.fct_entity_scores where scorecard_id = ?
"""

SCORECARDS = """
select scorecard_id, name, definition_hash
from marts.dim_scorecards
where is_current
order by scorecard_id
"""

LEVELS = """
select level, level_rank from marts.dim_levels
where scorecard_id = ? and is_current
order by level_rank
"""

ORG_SUMMARY = """
select
    count(*) as entities,
    round(avg(score_pct), 1) as avg_score_pct,
    sum(pass_count) as pass_count,
    sum(fail_count) as fail_count,
    sum(unknown_count) as unknown_count,
    sum(exempt_count) as exempt_count,
    round(100.0 * sum(unknown_count)
        / nullif(sum(pass_count + fail_count + unknown_count), 0), 1) as unknown_share_pct
from marts.fct_entity_scores
where scorecard_id = ? and evaluated_on = ?
"""

LEVEL_DISTRIBUTION = """
select coalesce(level, 'none') as level, level_rank, count(*) as entities
from marts.fct_entity_scores
where scorecard_id = ? and evaluated_on = ?
group by level, level_rank
order by level_rank
"""

TEAM_SCORES = """
select
    coalesce(teams.title, scores.scope_ref) as team,
    scores.scope_ref as team_ref,
    scores.entity_count,
    scores.avg_score_pct,
    scores.pass_count,
    scores.fail_count,
    scores.unknown_count,
    scores.exempt_count,
    scores.unknown_rate_pct
from marts.fct_scores_daily as scores
left join marts.dim_teams as teams on teams.team_ref = scores.scope_ref
where scores.scorecard_id = ? and scores.evaluated_on = ? and scores.scope_type = 'team'
order by scores.avg_score_pct desc nulls last
"""
