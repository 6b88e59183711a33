"""Scorecards: each scorecard's levels and rules as in force now, and the history of its
definition (every version's hash, when it was loaded and in force, which days were
evaluated with it, and what changed from the version before)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import queries
from dashboards.data import query
from dashboards.filters import scorecard_and_day

st.title("Scorecards")
selection = scorecard_and_day(with_day=False)
scorecard_id = selection.scorecard_id

versions = query(queries.SCORECARD_VERSIONS, scorecard_id)
current = versions[versions.is_current]
if current.empty:
    current = versions.tail(1)
card = current.iloc[0]

st.header(card["name"])
st.caption(f"`{scorecard_id}` · definition `{card.definition_hash[:12]}` · `{card.file}`")
if isinstance(card.description, str):
    st.write(card.description)
cols = st.columns(4)
cols[0].metric("Rules", int(card.rule_count))
cols[1].metric("Points", f"{card.total_points:g}")
cols[2].metric("Levels", int(card.level_count))
cols[3].metric("Definition versions", len(versions))
st.markdown(
    f"**Applies to:** `{card.applies_to_text or 'every entity'}` · **owner:** "
    f"`{card.owner or 'not set'}`"
)

st.subheader("Levels")
levels = query(queries.LEVELS_OF_DEFINITION, scorecard_id, card.definition_hash)
st.dataframe(levels, hide_index=True, width="stretch", column_config={"level_rank": "rank"})

st.subheader("Rules")
rules = query(queries.RULES_OF_DEFINITION, scorecard_id, card.definition_hash)
st.caption(
    "A rule holds at its level; an entity holds a level when every applicable, "
    "non-exempt rule at that level and below passes (unknown blocks)."
)
st.dataframe(
    rules[
        [
            "position",
            "rule_id",
            "name",
            "level",
            "points",
            "description",
            "remediation",
            "condition_text",
            "applies_to_text",
            "effective_from",
            "condition_facts",
        ]
    ],
    hide_index=True,
    width="stretch",
    height=35 * (len(rules) + 1) + 3,
    column_config={
        "position": "#",
        "description": st.column_config.TextColumn("description", width="large"),
        "remediation": st.column_config.TextColumn("remediation", width="large"),
        "condition_text": st.column_config.TextColumn("condition (SQL over facts)"),
        "applies_to_text": st.column_config.TextColumn("filter (applies to)"),
        "effective_from": st.column_config.DateColumn("effective from"),
        "condition_facts": st.column_config.TextColumn("facts (fact:source:kind)"),
    },
)

st.subheader("Definition history")
evaluated = query(queries.EVALUATIONS_BY_DEFINITION, scorecard_id)
history = versions.merge(evaluated, on="definition_hash", how="left")
history = history.assign(hash=history.definition_hash.str[:12])
st.dataframe(
    history[
        [
            "hash",
            "is_current",
            "first_loaded_at",
            "first_in_force_on",
            "last_in_force_on",
            "rule_count",
            "total_points",
            "first_day",
            "last_day",
            "days",
            "reevaluations",
        ]
    ],
    hide_index=True,
    width="stretch",
    column_config={
        "is_current": "in force",
        "first_loaded_at": st.column_config.DatetimeColumn(
            "first loaded", format="YYYY-MM-DD HH:mm"
        ),
        "first_in_force_on": st.column_config.DateColumn("first run with it"),
        "last_in_force_on": st.column_config.DateColumn("last run with it"),
        "rule_count": "rules",
        "total_points": "points",
        "first_day": st.column_config.DateColumn("first day evaluated"),
        "last_day": st.column_config.DateColumn("last day evaluated"),
        "days": "days evaluated",
        "reevaluations": "re-evaluations",
    },
)


def changes(before: pd.DataFrame, after: pd.DataFrame) -> list[str]:
    """What changed in the rules from one definition version to the next."""
    compared = ["name", "level", "points", "condition_text", "applies_to_text", "effective_from"]
    old, new = before.set_index("rule_id"), after.set_index("rule_id")
    lines = [f"added `{rule}`" for rule in sorted(set(new.index) - set(old.index))]
    lines += [f"removed `{rule}`" for rule in sorted(set(old.index) - set(new.index))]
    for rule in sorted(set(old.index) & set(new.index)):
        differing = [
            column
            for column in compared
            if not (
                (pd.isna(old.at[rule, column]) and pd.isna(new.at[rule, column]))
                or old.at[rule, column] == new.at[rule, column]
            )
        ]
        if differing:
            lines.append(
                f"changed `{rule}`: "
                + ", ".join(f"{c} {old.at[rule, c]!r} → {new.at[rule, c]!r}" for c in differing)
            )
    return lines


if len(versions) > 1:
    rule_versions = query(queries.SCORECARD_RULE_VERSIONS, scorecard_id)
    by_hash = {h: group for h, group in rule_versions.groupby("definition_hash")}
    empty = rule_versions.iloc[0:0]
    for before, after in zip(
        versions.iloc[:-1].itertuples(), versions.iloc[1:].itertuples(), strict=True
    ):
        listed = changes(
            by_hash.get(before.definition_hash, empty), by_hash.get(after.definition_hash, empty)
        )
        st.markdown(
            f"**{before.definition_hash[:12]} → {after.definition_hash[:12]}** "
            f"(loaded {pd.Timestamp(after.first_loaded_at):%Y-%m-%d %H:%M})"
        )
        st.markdown(
            "\n".join(f"- {line}" for line in listed) or "- no rule changed (levels or text only)"
        )
else:
    st.caption("One definition so far: changes to the YAML appear here with their new hash.")

reevaluations = query(queries.REEVALUATIONS, scorecard_id)
if not reevaluations.empty:
    st.markdown("**Re-evaluated days** (a past day evaluated again, explicitly):")
    st.dataframe(
        reevaluations.assign(
            definition=reevaluations.definition_hash.str[:12],
            replaced=reevaluations.previous_definition_hash.str[:12],
        )[["evaluated_on", "definition", "replaced", "evaluated_at", "trigger", "triggered_by"]],
        hide_index=True,
        width="stretch",
    )
