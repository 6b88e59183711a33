"""Overview: the organisation's score, its level distribution, and the score per team."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboards import queries
from dashboards.data import query, require_published
from readiness.palette import OUTCOME_COLORS, level_color

st.title("Production readiness")

if not require_published():
    st.stop()

scorecards = query(queries.SCORECARDS)
if scorecards.empty:
    st.info("No scorecard has been evaluated yet: run `readiness run`.")
    st.stop()
scorecard_id = st.selectbox(
    "Scorecard",
    scorecards["scorecard_id"],
    format_func=lambda sid: scorecards.set_index("scorecard_id").loc[sid, "name"],
)
day = query(queries.LATEST_DAY, scorecard_id)["day"].iloc[0]
if pd.isna(day):
    st.info("This scorecard has no evaluation yet.")
    st.stop()
st.caption(f"Evaluated on {day:%Y-%m-%d}")

summary = query(queries.ORG_SUMMARY, scorecard_id, day).iloc[0]
cols = st.columns(4)
cols[0].metric("Organisation score", f"{summary.avg_score_pct:.1f}%")
cols[1].metric("Entities", int(summary.entities))
cols[2].metric(
    "Unknown outcomes",
    f"{summary.unknown_share_pct or 0:.1f}%",
    help="Share of applicable rule outcomes that are unknown: a fact is missing "
    "or its source is stale. Unknown is never counted as a failure.",
)
cols[3].metric("Exempt outcomes", int(summary.exempt_count or 0))

left, right = st.columns(2)
with left:
    st.subheader("Levels")
    levels = query(queries.LEVEL_DISTRIBUTION, scorecard_id, day)
    levels["color"] = [
        level_color(name, rank) for name, rank in zip(levels.level, levels.level_rank, strict=True)
    ]
    chart = (
        alt.Chart(levels)
        .mark_bar()
        .encode(
            x=alt.X("level:N", sort=list(levels.level), title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("entities:Q", title="Entities"),
            color=alt.Color("color:N", scale=None),
            tooltip=["level", "entities"],
        )
    )
    st.altair_chart(chart, width="stretch")

with right:
    st.subheader("Outcomes")
    mix = pd.DataFrame(
        {
            "outcome": ["pass", "fail", "unknown", "exempt"],
            "count": [
                summary.pass_count,
                summary.fail_count,
                summary.unknown_count,
                summary.exempt_count,
            ],
        }
    )
    chart = (
        alt.Chart(mix)
        .mark_arc(innerRadius=60)
        .encode(
            theta="count:Q",
            color=alt.Color(
                "outcome:N",
                scale=alt.Scale(
                    domain=list(OUTCOME_COLORS)[:4],
                    range=[OUTCOME_COLORS[o] for o in list(OUTCOME_COLORS)[:4]],
                ),
            ),
            tooltip=["outcome", "count"],
        )
    )
    st.altair_chart(chart, width="stretch")

st.subheader("Score per team")
teams = query(queries.TEAM_SCORES, scorecard_id, day)
long = teams.melt(
    id_vars=["team"],
    value_vars=["pass_count", "fail_count", "unknown_count", "exempt_count"],
    var_name="outcome",
    value_name="outcomes",
)
long["outcome"] = long["outcome"].str.removesuffix("_count")
chart = (
    alt.Chart(long)
    .mark_bar()
    .encode(
        y=alt.Y("team:N", sort=list(teams.team), title=None),
        x=alt.X("outcomes:Q", stack="normalize", title="Share of rule outcomes"),
        color=alt.Color(
            "outcome:N",
            scale=alt.Scale(
                domain=["pass", "fail", "unknown", "exempt"],
                range=[OUTCOME_COLORS[o] for o in ["pass", "fail", "unknown", "exempt"]],
            ),
        ),
        tooltip=["team", "outcome", "outcomes"],
    )
    .properties(height=max(200, 24 * len(teams)))
)
st.altair_chart(chart, width="stretch")
st.dataframe(
    teams[["team", "entity_count", "avg_score_pct", "unknown_rate_pct"]].rename(
        columns={
            "entity_count": "entities",
            "avg_score_pct": "score %",
            "unknown_rate_pct": "unknown %",
        }
    ),
    hide_index=True,
    width="stretch",
)
