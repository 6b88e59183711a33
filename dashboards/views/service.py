"""Service: every rule's outcome with its reason and evidence, what to do, who owns it,
how to reach it, and its level history.

Link: `service?service=component:default/<name>`.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboards import charts, queries, url_state
from dashboards.catalog_problems import show_catalog_problems
from dashboards.chart_specs import draw
from dashboards.data import query
from dashboards.filters import as_of_caption, scorecard_and_day
from dashboards.links import team_url
from readiness.facts import load_facts
from readiness.palette import OUTCOME_COLORS

LINK_COLUMNS = {
    "runbook_url": "Runbook",
    "logs_url": "Logs",
    "dashboard_url": "Dashboard",
    "chat_url": "Chat",
    "playbook_url": "Playbook",
}
HISTORY_DAYS = 90


@st.cache_resource(show_spinner=False)
def fact_registry():
    return load_facts()


st.title("Service")
selection = scorecard_and_day()
scorecard_id, day = selection.scorecard_id, selection.day

entities = query(queries.SCORED_ENTITIES, scorecard_id, day)
if entities.empty:
    st.info(f"No entity was scored on {day:%Y-%m-%d}.")
    st.stop()
names = dict(zip(entities.entity_ref, entities.title, strict=True))
entity_ref = url_state.select(
    "Service",
    list(entities.entity_ref),
    param="service",
    format_func=lambda ref: f"{names.get(ref, ref)} ({ref.split('/')[-1]})",
)
entity_rows = query(queries.ENTITY, entity_ref)
if entity_rows.empty:
    st.error(f"{entity_ref} is scored but missing from dim_entities: rebuild with `readiness run`.")
    st.stop()
entity = entity_rows.iloc[0]
score = query(queries.ENTITY_SCORE, scorecard_id, day, entity_ref).iloc[0]
facts_row = query(queries.ENTITY_FACTS, day, entity_ref)
fact_values = facts_row.iloc[0] if not facts_row.empty else pd.Series(dtype=object)


def fact(name: str):
    value = fact_values.get(name)
    return None if value is None or pd.isna(value) else value


st.header(entity.title)
st.caption(as_of_caption(selection) + f" · `{entity_ref}`")
if isinstance(entity.description, str) and entity.description:
    st.write(entity.description)

cols = st.columns(5)
cols[0].metric("Score", "–" if pd.isna(score.score_pct) else f"{score.score_pct:.1f}%")
cols[1].metric("Level", score.level)
cols[2].metric(
    "Potential level",
    score.potential_level or "none",
    help="The level it would hold if every unknown rule passed.",
)
cols[3].metric("Next level", score.next_level or "top reached")
cols[4].metric(
    "Failing · unknown",
    f"{int(score.fail_count)} · {int(score.unknown_count)}",
    help=f"{int(score.pass_count)} rules pass, {int(score.fail_count)} fail, "
    f"{int(score.unknown_count)} are unknown (a fact is missing), "
    f"{int(score.exempt_count)} exempt, {int(score.not_applicable_count)} not applicable.",
)

owner, where, links = st.columns(3)
with owner:
    st.markdown("**Owner**")
    if isinstance(entity.team_ref, str):
        path = " › ".join(
            part.split("/")[-1] for part in str(entity.team_path or entity.team_ref).split(" > ")
        )
        st.markdown(f"[{entity.team_title}]({team_url(entity.team_ref)}) ({path})")
        members = int(entity.team_member_count or 0)
        st.caption(f"{members} member{'' if members == 1 else 's'} in the catalog")
    elif isinstance(entity.owner_ref, str):
        st.markdown(f"`{entity.owner_ref}` — not a Group or User of the catalog (not resolved)")
    else:
        st.markdown("No owner (`spec.owner` is not set)")
    if entity.owner_kind == "user" and isinstance(entity.owner_ref, str):
        st.caption(f"Owned by the User `{entity.owner_ref}`")
with where:
    st.markdown("**Catalog**")
    st.markdown(
        "\n".join(
            f"- {label}: {value}"
            for label, value in (
                ("kind / type", f"{entity.kind} / {entity.entity_type}"),
                ("lifecycle", entity.lifecycle),
                ("tier", None if pd.isna(entity.tier) else int(entity.tier)),
                ("system", entity.system_title or entity.system_ref),
                ("domain", entity.domain_title or entity.domain_ref),
                ("file", f"`{entity.source_file}`" if entity.source_file else None),
            )
            if value is not None and not (isinstance(value, float) and pd.isna(value))
        )
    )
with links:
    st.markdown("**Links and on-call**")
    lines = [
        f"- [{label}]({entity[column]})"
        for column, label in LINK_COLUMNS.items()
        if isinstance(entity[column], str) and entity[column]
    ]
    missing = [
        label for column, label in LINK_COLUMNS.items() if not isinstance(entity[column], str)
    ]
    if isinstance(entity.github_repo, str):
        lines.append(f"- repository: `{entity.github_repo}`")
    if isinstance(entity.pagerduty_service_id, str):
        on_call = f"- PagerDuty service: `{entity.pagerduty_service_id}`"
        if fact("pagerduty_service_found") is False:
            on_call += " (not found in PagerDuty)"
        if fact("escalation_tier_count") is not None:
            on_call += f", {int(fact('escalation_tier_count'))} escalation tier(s)"
        if fact("incident_count_14d") is not None:
            on_call += f", {int(fact('incident_count_14d'))} incident(s) in 14 days"
        lines.append(on_call)
    else:
        lines.append("- no PagerDuty service annotated (`pagerduty.com/service-id`)")
    if isinstance(entity.datadog_service, str):
        lines.append(f"- Datadog service: `{entity.datadog_service}`")
    st.markdown("\n".join(lines) or "No links in the catalog.")
    if missing:
        st.caption("No link in the catalog for: " + ", ".join(missing))

show_catalog_problems(query(queries.ENTITY_CATALOG_PROBLEMS, entity_ref), "this entity")

st.subheader("Rules")
outcomes = query(queries.ENTITY_OUTCOMES, scorecard_id, day, entity_ref)


def _colour(outcome: str) -> str:
    colour = OUTCOME_COLORS.get(outcome)
    return f"background-color: {colour}; color: white; font-weight: 600" if colour else ""


table = outcomes[
    ["name", "level", "points", "outcome", "fact_values", "reason", "remediation", "condition_text"]
].assign(reason=outcomes.reason.fillna(""))
st.dataframe(
    table.style.map(_colour, subset=["outcome"]),
    hide_index=True,
    width="stretch",
    height=35 * (len(table) + 1) + 3,
    column_config={
        "name": "rule",
        "reason": st.column_config.TextColumn("why"),
        "fact_values": st.column_config.TextColumn("facts read", width="medium"),
        "remediation": st.column_config.TextColumn("how to fix", width="large"),
        "condition_text": st.column_config.TextColumn("condition", width="medium"),
    },
)
to_fix = outcomes[outcomes.outcome == "fail"]
if not to_fix.empty:
    st.markdown("**What to fix first** (lowest level first, then most points):")
    ordered = to_fix.sort_values(["level_rank", "points"], ascending=[True, False])
    st.markdown(
        "\n".join(
            f"1. **{row.name}** ({row.level}, {int(row.points)} pts): {row.remediation}"
            for row in ordered.itertuples()
        )
    )

st.subheader("History")
history = query(queries.ENTITY_HISTORY, scorecard_id, day, entity_ref)
levels = query(queries.LEVELS_OF_DEFINITION, scorecard_id, selection.definition_hash)
left, right = st.columns(2)
with left:
    st.markdown("**Score and level**")
    draw(charts.score_and_level_history, history, levels, width="stretch")
    changes = history[history.level != history.level.shift()].iloc[1:]
    if not changes.empty:
        st.caption(
            "Level changes: "
            + "; ".join(
                f"{pd.Timestamp(row.evaluated_on):%Y-%m-%d} → {row.level}"
                for row in changes.itertuples()
            )
        )
with right:
    st.markdown("**Each rule, day by day**")
    first = day - dt.timedelta(days=HISTORY_DAYS - 1)
    outcome_history = query(queries.ENTITY_OUTCOME_HISTORY, scorecard_id, day, entity_ref, first)
    rule_names = outcomes[["rule_id", "name"]].rename(columns={"name": "rule"})
    draw(charts.outcome_timeline, outcome_history, rule_names, width="stretch")

st.subheader("Facts")
registry = fact_registry()
if facts_row.empty:
    st.info(f"No facts recorded for this entity on {day:%Y-%m-%d}.")
else:
    values = fact_values
    facts = pd.DataFrame(
        [
            {
                "fact": name,
                "value": None if pd.isna(values[name]) else str(values[name]),
                "source": fact.source,
                "kind": fact.kind,
                "description": fact.description,
            }
            for name, fact in registry.items()
            if name in values.index
        ]
    )
    st.caption(
        "Every documented fact about the entity that day; an empty value is missing "
        "(rules reading it are unknown). Status columns say whether each source was fresh."
    )
    st.dataframe(facts, hide_index=True, width="stretch")
    stale = {
        column.removeprefix("status_").rsplit("_", 1)[0]: values[column]
        for column in values.index
        if column.startswith("status_") and isinstance(values[column], str)
    }
    sources = sorted(
        {
            c.removeprefix("status_").rsplit("_", 1)[0]
            for c in values.index
            if c.startswith("status_")
        }
    )
    if stale:
        st.warning(
            "Sources not fresh that day (their facts are missing, rules reading them are "
            "unknown): " + "; ".join(f"**{source}**: {reason}" for source, reason in stale.items())
        )
    elif sources:
        st.caption("Every source was fresh that day: " + ", ".join(sources) + ".")
st.caption(
    "Not available from the warehouse: who is on call right now (the marts keep the "
    "PagerDuty service and its escalation tiers, not the schedule's current person) and "
    "the owner's members by name."
)
