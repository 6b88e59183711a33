"""Team: the team's services and levels, its trend, and what it must do next.

Link: `team?team=group:default/<name>`. Services owned by the team itself are listed
apart from its child teams'; the work list ranks failing rules by the points they cost
across those services, and says how many services each keeps from their next level.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import charts, queries, url_state
from dashboards.catalog_problems import show_catalog_problems
from dashboards.chart_specs import draw
from dashboards.data import query
from dashboards.filters import as_of_caption, scorecard_and_day
from dashboards.links import page_url, service_url, team_url

st.title("Team")
selection = scorecard_and_day()
scorecard_id, day = selection.scorecard_id, selection.day

teams = query(queries.TEAMS)
if teams.empty:
    st.info("The catalog has no teams (Groups) yet.")
    st.stop()
titles = dict(zip(teams.team_ref, teams.title, strict=True))
paths = dict(zip(teams.team_ref, teams.path, strict=True))


def label(ref: str) -> str:
    path = paths.get(ref)
    parts = str(path).split(" > ") if isinstance(path, str) else [ref]
    return " › ".join(titles.get(part, part) for part in parts)


team_ref = url_state.select("Team", list(teams.team_ref), param="team", format_func=label)
team = query(queries.TEAM, team_ref).iloc[0]
st.header(team.title)
st.caption(as_of_caption(selection) + f" · `{team_ref}`")

breadcrumb = [
    f"[{titles.get(part, part)}]({team_url(part)})" for part in str(team.path).split(" > ")[:-1]
]
facts = [f"{team.team_type or 'group'}"]
if breadcrumb:
    facts.append("part of " + " › ".join(breadcrumb))
if team.child_team_count:
    children = teams[teams.parent_ref == team_ref]
    facts.append(
        "child teams: "
        + ", ".join(
            f"[{t}]({team_url(r)})" for r, t in zip(children.team_ref, children.title, strict=True)
        )
    )
members = int(team.catalog_member_count or 0)
facts.append(f"{members} member{'' if members == 1 else 's'} in the catalog")
st.markdown(" · ".join(facts))

show_catalog_problems(
    query(queries.TEAM_CATALOG_PROBLEMS, team_ref), f"{team.title} and what it owns"
)

services = query(queries.TEAM_SERVICES, scorecard_id, day, team_ref)
if services.empty:
    st.info(f"{team.title} owned no scored service on {day:%Y-%m-%d} (its child teams included).")
    st.stop()

own = services[services.owned_directly]
scope_type = "team_tree" if team.child_team_count else "team"
trend = query(queries.SCOPE_TREND, scorecard_id, day, scope_type, team_ref)
now = trend.iloc[-1] if not trend.empty else None
week_ago = trend[trend.evaluated_on.dt.date <= day - pd.Timedelta(days=7)]
cols = st.columns(4)
change = (
    None if week_ago.empty or now is None else now.avg_score_pct - week_ago.iloc[-1].avg_score_pct
)
cols[0].metric(
    "Score" + (" (child teams included)" if team.child_team_count else ""),
    f"{services.score_pct.mean():.1f}%",
    None if change is None or abs(change) < 0.05 else f"{change:+.1f} pts in 7 days",
)
cols[1].metric("Services", len(services), help=f"{len(own)} owned by {team.title} itself")
cols[2].metric("Failing rule outcomes", int(services.fail_count.sum()))
cols[3].metric(
    "Unknown rule outcomes",
    int(services.unknown_count.sum()),
    help="A fact is missing or its source is stale: fix the data, not the service.",
)

left, right = st.columns(2)
with left:
    st.subheader("Score over time")
    draw(charts.score_trend, trend, width="stretch")
with right:
    st.subheader("Levels")
    levels = query(queries.TEAM_LEVELS, scorecard_id, day, team_ref)
    if levels.empty:  # a team outside the rollups (e.g. renamed since): count the services
        levels = (
            services.groupby(["level", "level_rank"]).size().rename("entity_count").reset_index()
        )
    draw(charts.level_bars, levels, width="stretch")

st.subheader("What to do next")
gaps = query(queries.TEAM_RULE_GAPS, scorecard_id, day, team_ref)
failing = gaps[gaps.failing_services > 0]
if failing.empty:
    st.success("No rule fails for these services.")
else:
    st.caption(
        "Failing rules, the most points at stake first (points × failing services). "
        "'Blocks next level' counts services for which this rule stands between them and "
        "their next level."
    )
    st.dataframe(
        failing[
            [
                "name",
                "level",
                "points",
                "failing_services",
                "points_at_stake",
                "blocks_next_level",
                "remediation",
            ]
        ],
        hide_index=True,
        width="stretch",
        column_config={
            "name": "rule",
            "failing_services": "services failing",
            "points_at_stake": "points at stake",
            "blocks_next_level": "blocks next level",
            "remediation": st.column_config.TextColumn("how to fix", width="large"),
        },
    )
unknown = gaps[gaps.unknown_services > 0]
if not unknown.empty:
    st.markdown("**Unknown outcomes** — a fact is missing or its source is stale:")
    st.dataframe(
        unknown[["name", "level", "unknown_services", "description"]],
        hide_index=True,
        width="stretch",
        column_config={"name": "rule", "unknown_services": "services unknown"},
    )

st.subheader("Services")
table = services.assign(link=[service_url(ref) for ref in services.entity_ref])
columns = [
    "title",
    "link",
    "team",
    "level",
    "score_pct",
    "next_level",
    "fail_count",
    "unknown_count",
    "lifecycle",
    "tier",
]
config = {
    "link": st.column_config.LinkColumn("service page", display_text="open"),
    "score_pct": st.column_config.NumberColumn("score %", format="%.1f"),
    "fail_count": "failing",
    "unknown_count": "unknown",
    "next_level": "next level",
}
st.markdown(f"**Owned by {team.title}** ({len(own)})")
if own.empty:
    st.write("None: every service is owned by a child team.")
else:
    st.dataframe(
        table[table.owned_directly][columns], hide_index=True, width="stretch", column_config=config
    )
others = table[~table.owned_directly]
if not others.empty:
    st.markdown(f"**Owned by child teams** ({len(others)})")
    st.dataframe(others[columns], hide_index=True, width="stretch", column_config=config)
st.markdown(
    f"[See these services on the heat map]({page_url('heatmap', rows='services', team=team_ref)})"
)
