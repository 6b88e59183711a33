"""Initiatives: TPMs' campaigns with a target, a scope and a due date.

The list of the scorecard's initiatives with their progress on the chosen day; for one
initiative (`?initiative=<id>`), its burn-up against the straight line to the due date
and the projection from the recent rate, the lagging teams, and the action items: which
rule each remaining entity must still pass, with the remediation.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import charts, queries, url_state
from dashboards.chart_specs import draw
from dashboards.data import query
from dashboards.filters import as_of_caption, scorecard_and_day
from dashboards.links import page_url, service_url, team_url

STATUS = {  # status -> label shown, colour of Streamlit's badge
    "done": ("done", "green"),
    "on_track": ("on track", "green"),
    "behind": ("behind the line", "orange"),
    "projected_late": ("projected late", "red"),
    "overdue": ("overdue", "red"),
}


def status_label(status: object) -> str:
    return STATUS[status][0] if isinstance(status, str) and status in STATUS else "not started"


def when(value: object) -> str:
    return "–" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d}"


st.title("Initiatives")
selection = scorecard_and_day()
st.caption(as_of_caption(selection))
initiatives = query(queries.INITIATIVES, selection.scorecard_id, selection.day)
if initiatives.empty:
    st.info(
        f"No initiative targets the scorecard `{selection.scorecard_id}`. Write one in "
        "`scorecards/initiatives/` (see docs/initiatives.md) and run the pipeline."
    )
    st.stop()

# --- every initiative ------------------------------------------------------------------

listing = initiatives.assign(
    link=[page_url("initiatives", initiative=i) for i in initiatives.initiative_id],
    status_text=[status_label(s) for s in initiatives.status],
    done_text=[
        "–" if pd.isna(total) else f"{int(done)} / {int(total)}"
        for done, total in zip(
            initiatives.entities_done, initiatives.entities_in_scope, strict=True
        )
    ],
)
st.dataframe(
    listing[
        [
            "name",
            "link",
            "target_text",
            "due_date",
            "pct_complete",
            "done_text",
            "status_text",
            "projected_completion_on",
            "owner_ref",
        ]
    ],
    hide_index=True,
    width="stretch",
    column_config={
        "name": "Initiative",
        "link": st.column_config.LinkColumn("page", display_text="open"),
        "target_text": "Target",
        "due_date": st.column_config.DateColumn("Due"),
        "pct_complete": st.column_config.ProgressColumn(
            "Complete", min_value=0, max_value=100, format="%.0f%%"
        ),
        "done_text": "Entities done",
        "status_text": "Status",
        "projected_completion_on": st.column_config.DateColumn("Projected completion"),
        "owner_ref": "Owner",
    },
)

# --- one initiative --------------------------------------------------------------------

names = dict(zip(initiatives.initiative_id, initiatives.name, strict=True))
initiative_id = url_state.select(
    "Initiative", list(names), param="initiative", format_func=lambda i: names.get(i, i)
)
row = initiatives.set_index("initiative_id").loc[initiative_id]

st.header(row["name"])
st.caption(
    f"`{initiative_id}` · target: {row.target_text} · scope: "
    f"`{row.entity_filter_text or 'every entity of the scorecard'}`"
    + (f" · teams: {row.teams}" if isinstance(row.teams, str) else "")
    + f" · {when(row.start_date)} to {when(row.due_date)} · owner `{row.owner_ref}` · "
    f"`{row.file}`"
)
if isinstance(row.description, str):
    st.write(row.description)
if pd.isna(row.entities_in_scope):
    st.info(
        f"Nothing to show on {selection.day:%Y-%m-%d}: the initiative starts on "
        f"{when(row.start_date)} or was not evaluated that day."
    )
    st.stop()

label, color = STATUS.get(row.status, ("not started", "gray"))
st.badge(label, color=color)
cols = st.columns(5)
cols[0].metric("Complete", f"{row.pct_complete:.1f}%")
cols[1].metric(
    "Expected by now",
    "–" if pd.isna(row.expected_pct) else f"{row.expected_pct:.1f}%",
    help="On the straight line from the start to 100 % on the due date.",
)
cols[2].metric("Entities done", f"{int(row.entities_done)} / {int(row.entities_in_scope)}")
cols[3].metric("Days left", "–" if pd.isna(row.days_left) else int(row.days_left))
cols[4].metric(
    "Projected completion",
    when(row.projected_completion_on)
    if not pd.isna(row.projected_completion_on)
    else ("–" if row.status == "done" else "never"),
    help="Today plus the remaining entities divided by the recent net rate (entities "
    "done per day over the last two weeks); never when that rate is zero or negative.",
)

burn = query(queries.INITIATIVE_BURN_UP, initiative_id, selection.day)
st.subheader("Burn-up")
draw(charts.burn_up, burn, row.due_date, row.projected_completion_on)

teams = query(queries.INITIATIVE_TEAMS, initiative_id, selection.day)
st.subheader("Lagging teams")
lagging = teams[teams.is_lagging.fillna(False).astype(bool)]
team_columns = {
    "team": "Team",
    "link": st.column_config.LinkColumn("team page", display_text="open"),
    "entities_in_scope": "In scope",
    "entities_done": "Done",
    "entities_remaining": "Remaining",
    "pct_complete": st.column_config.ProgressColumn(
        "Complete", min_value=0, max_value=100, format="%.0f%%"
    ),
    "expected_pct": st.column_config.NumberColumn("Expected", format="%.0f%%"),
    "status_text": "Status",
    "projected_completion_on": st.column_config.DateColumn("Projected completion"),
}


def team_table(frame: pd.DataFrame) -> None:
    shown = frame.assign(
        link=[team_url(ref) for ref in frame.team_ref],
        status_text=[status_label(s) for s in frame.status],
    )
    st.dataframe(
        shown[list(team_columns)], hide_index=True, width="stretch", column_config=team_columns
    )


if lagging.empty:
    st.success("No team is behind the straight line, projected late or overdue.")
else:
    st.caption(
        f"{len(lagging)} of {len(teams)} teams are behind the straight line to the due "
        "date, projected late at their recent rate, or overdue."
    )
    team_table(lagging)
with st.expander(f"Every team in scope ({len(teams)})"):
    team_table(teams)

# --- action items ------------------------------------------------------------------------

items = query(queries.INITIATIVE_ACTION_ITEMS, initiative_id, selection.day)
st.subheader("Action items")
if items.empty:
    st.success("Nothing remains: every entity in scope meets the target.")
    st.stop()
team_names = dict(zip(items.team_ref.fillna(""), items.team, strict=True))
chosen_team = url_state.select(
    "Team",
    sorted(team_names, key=team_names.get),
    param="team",
    scope="initiatives",
    optional=True,
    placeholder="All teams",
    format_func=team_names.get,
)
if chosen_team is not None:
    items = items[items.team_ref.fillna("") == chosen_team]
st.caption(
    f"{len(items):,} rule(s) to fix on {items.entity_ref.nunique():,} entities; `unknown` "
    "means a fact is missing or stale: fix the data source first."
)
shown = items.assign(service=[service_url(ref) for ref in items.entity_ref])
st.dataframe(
    shown[
        [
            "team",
            "entity",
            "service",
            "rule_name",
            "level",
            "points",
            "outcome",
            "reason",
            "remediation",
        ]
    ],
    hide_index=True,
    width="stretch",
    column_config={
        "team": "Team",
        "entity": "Entity",
        "service": st.column_config.LinkColumn("service page", display_text="open"),
        "rule_name": "Rule",
        "level": "Level",
        "points": "Points",
        "outcome": "Outcome",
        "reason": "Why unknown",
        "remediation": "How to fix",
    },
)
st.download_button(
    "Download action items (CSV)",
    data=items.to_csv(index=False).encode("utf-8"),
    file_name=f"{initiative_id}-action-items-{selection.day:%Y-%m-%d}.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
)
