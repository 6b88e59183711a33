"""Overview: the organisation's score and its trend, levels over time, unknown share,
who moved most, and who lost a level this week."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import charts, queries
from dashboards.chart_specs import draw
from dashboards.data import query
from dashboards.filters import as_of_caption, scorecard_and_day
from dashboards.links import service_url, team_url

st.title("Production readiness")
selection = scorecard_and_day()
st.caption(as_of_caption(selection))
scorecard_id, day = selection.scorecard_id, selection.day

summary = query(queries.ORG_SUMMARY, scorecard_id, day).iloc[0]


def _delta(now, then, suffix: str = " pts") -> str | None:
    if pd.isna(now) or pd.isna(then) or abs(now - then) < 0.05:
        return None
    return f"{now - then:+.1f}{suffix} in 7 days"


levels_over_time = query(
    queries.SCOPE_LEVEL_TREND, scorecard_id, day, "organisation", "organisation"
)
moves = query(
    queries.MOVERS if selection.is_latest else queries.MOVERS_AT_DAY, scorecard_id, day, 7
)
entity_moves = moves[moves.subject_type == "entity"]
lost = entity_moves[entity_moves.lost_level].sort_values(["level_change", "score_change"])

cols = st.columns(5)
cols[0].metric(
    "Organisation score",
    f"{summary.avg_score_pct:.1f}%",
    _delta(summary.avg_score_pct, summary.avg_score_pct_7d_ago),
    help="Average of the entities' scores: points of passing rules / points of rules "
    "that pass, fail or are unknown.",
)
cols[1].metric("Entities", int(summary.entity_count))
cols[2].metric(
    "Unknown outcomes",
    f"{summary.unknown_rate_pct or 0:.1f}%",
    _delta(summary.unknown_rate_pct, summary.unknown_rate_pct_7d_ago),
    delta_color="inverse",
    help="Share of applicable rule outcomes that are unknown: a fact is missing or its "
    "source is stale. Unknown is never counted as a failure.",
)
cols[3].metric("Below the first level", int(summary.entities_without_level or 0))
cols[4].metric("Lost a level this week", len(lost), delta_color="inverse")

left, right = st.columns(2)
with left:
    st.subheader("Score and unknown share")
    trend = query(queries.SCOPE_TREND, scorecard_id, day, "organisation", "organisation")
    draw(charts.score_trend, trend, width="stretch")
with right:
    st.subheader("Levels over time")
    draw(charts.level_area, levels_over_time, width="stretch")

left, right = st.columns(2)
with left:
    st.subheader(f"Levels on {day:%Y-%m-%d}")
    today_levels = levels_over_time[levels_over_time.evaluated_on.dt.date == day]
    draw(charts.level_bars, today_levels, width="stretch")
with right:
    st.subheader("Outcomes")
    counts = {
        "pass": int(summary.pass_count or 0),
        "fail": int(summary.fail_count or 0),
        "unknown": int(summary.unknown_count or 0),
        "exempt": int(summary.exempt_count or 0),
    }
    draw(charts.outcome_donut, counts, width="stretch")

st.subheader("Lost a level this week")
if lost.empty:
    st.write("No entity holds a lower level than seven days before.")
else:
    st.dataframe(
        lost.assign(link=[service_url(ref) for ref in lost.subject_ref])[
            ["title", "link", "level_then", "level_now", "score_then", "score_now", "score_change"]
        ],
        hide_index=True,
        width="stretch",
        column_config={
            "link": st.column_config.LinkColumn("page", display_text="open"),
            "score_then": st.column_config.NumberColumn("score 7 days before", format="%.1f"),
            "score_now": st.column_config.NumberColumn("score now", format="%.1f"),
            "level_then": "level 7 days before",
            "level_now": "level now",
            "score_change": st.column_config.NumberColumn("change (pts)", format="%+.1f"),
        },
    )

st.subheader("Top movers")
MOVER_KINDS = {"entity": "Services", "team_tree": "Teams (with their child teams)"}
controls = st.columns([1, 2])
window = controls[0].segmented_control(
    "Window",
    [7, 30, 90],
    default=7,
    required=True,
    format_func=lambda d: f"{d} days",
    key="movers_window",
)
kind = controls[1].segmented_control(
    "Who",
    list(MOVER_KINDS),
    default="entity",
    required=True,
    format_func=MOVER_KINDS.get,
    key="movers_kind",
)
if window != 7:
    moves = query(
        queries.MOVERS if selection.is_latest else queries.MOVERS_AT_DAY,
        scorecard_id,
        day,
        window,
    )
subset = moves[(moves.subject_type == kind) & moves.score_change.notna()]
if subset.empty:
    st.write(f"No history {window} days before {day:%Y-%m-%d} to compare with.")
else:
    if kind == "entity":
        links = [service_url(ref) for ref in subset.subject_ref]
    else:
        links = [team_url(ref.removeprefix("team_tree:")) for ref in subset.subject_ref]
    subset = subset.assign(link=links)
    shown = ["title", "link", "score_then", "score_now", "score_change"]
    if kind == "entity":
        shown += ["level_then", "level_now"]
    config = {
        "link": st.column_config.LinkColumn("page", display_text="open"),
        "score_then": st.column_config.NumberColumn(f"score {window} days before", format="%.1f"),
        "score_now": st.column_config.NumberColumn("score now", format="%.1f"),
        "score_change": st.column_config.NumberColumn("change (pts)", format="%+.1f"),
        "level_then": "level before",
        "level_now": "level now",
    }
    rises, drops = st.columns(2)
    rises.markdown("**Biggest rises**")
    rises.dataframe(
        subset[subset.score_change > 0].nlargest(10, "score_change")[shown],
        hide_index=True,
        width="stretch",
        column_config=config,
    )
    drops.markdown("**Biggest drops**")
    drops.dataframe(
        subset[subset.score_change < 0].nsmallest(10, "score_change")[shown],
        hide_index=True,
        width="stretch",
        column_config=config,
    )

st.subheader("Teams")
teams = query(queries.TEAM_SCORES, scorecard_id, day)
top = teams[teams.depth == 0].dropna(subset=["tree_score_pct"]).sort_values("tree_score_pct")
if not top.empty:
    st.caption("Top-level teams, their child teams included, lowest score first.")
    tree_counts = teams.dropna(subset=["direct_entities"])
    # Outcome mix of a top-level team's whole tree: sum of its teams' direct counts.
    tree_counts = tree_counts.assign(
        root=tree_counts.path.fillna(tree_counts.team_ref).str.split(" > ").str[0]
    )
    mix = (
        tree_counts.groupby("root")[["pass_count", "fail_count", "unknown_count", "exempt_count"]]
        .sum()
        .reset_index()
        .merge(teams[["team_ref", "team"]], left_on="root", right_on="team_ref", how="left")
    )
    mix["team"] = mix.team.fillna(mix.root)
    order = list(top.team) + sorted(set(mix.team) - set(top.team))
    draw(charts.outcome_share_bars, mix, "team", order, width="stretch")
titles = dict(zip(teams.team_ref, teams.team, strict=True))
st.dataframe(
    teams.assign(
        link=[team_url(ref) for ref in teams.team_ref],
        parent=[titles.get(ref) if isinstance(ref, str) else None for ref in teams.parent_ref],
    )[
        [
            "team",
            "link",
            "parent",
            "direct_entities",
            "direct_score_pct",
            "tree_entities",
            "tree_score_pct",
            "direct_unknown_rate_pct",
        ]
    ],
    hide_index=True,
    width="stretch",
    column_config={
        "link": st.column_config.LinkColumn("page", display_text="open"),
        "direct_entities": "own entities",
        "direct_score_pct": st.column_config.NumberColumn("own score %", format="%.1f"),
        "tree_entities": "with child teams",
        "tree_score_pct": st.column_config.NumberColumn("score % with child teams", format="%.1f"),
        "direct_unknown_rate_pct": st.column_config.NumberColumn("unknown %", format="%.1f"),
    },
)
