"""The filters every page shares: which scorecard, and which evaluated day.

They sit in the sidebar and are bound to the URL (`?scorecard=...&date=YYYY-MM-DD`), so
a link to any page carries them; left at their defaults (the first scorecard, its
latest evaluated day) they stay out of the URL, and a link then follows new evaluations.
A chosen day that was not evaluated shows the last evaluated day before it, and says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboards import queries, url_state
from dashboards.data import query, require_published


@dataclass(frozen=True)
class Selection:
    scorecard_id: str
    scorecard_name: str
    day: dt.date  # the evaluated day shown
    first_day: dt.date
    last_day: dt.date
    definition_hash: str | None  # the definition the day was evaluated with

    @property
    def is_latest(self) -> bool:
        return self.day == self.last_day


def _as_date(value) -> dt.date:
    return pd.Timestamp(value).date()


def scorecard_and_day(*, with_day: bool = True) -> Selection:
    """Render the shared filters and return the selection; stop the page if there is none."""
    if not require_published():
        st.stop()
    scorecards = query(queries.SCORECARDS)
    if scorecards.empty:
        st.info("No scorecard has been evaluated yet: run `readiness run` (or `readiness demo`).")
        st.stop()
    names = dict(zip(scorecards.scorecard_id, scorecards.name, strict=True))
    scorecard_id = url_state.select(
        "Scorecard",
        list(names),
        param="scorecard",
        format_func=lambda sid: names.get(sid, sid),
        container=st.sidebar,
    )
    evaluated = query(queries.EVALUATED_RANGE, scorecard_id).iloc[0]
    if pd.isna(evaluated.last_day):
        st.info(f"The scorecard {scorecard_id!r} has no evaluated day yet: run `readiness run`.")
        st.stop()
    first_day, last_day = _as_date(evaluated.first_day), _as_date(evaluated.last_day)
    day = last_day
    if with_day:
        chosen = url_state.date(
            "Day",
            param="date",
            default=last_day,
            min_value=first_day,
            max_value=last_day,
            container=st.sidebar,
            help="The evaluated day the pages show. Leave it at the latest day to follow "
            "new evaluations.",
        )
        if chosen and chosen != last_day:
            found = query(queries.DAY_ON_OR_BEFORE, scorecard_id, chosen)["day"].iloc[0]
            day = _as_date(found) if not pd.isna(found) else first_day
            if day != chosen:
                st.sidebar.caption(f"{chosen:%Y-%m-%d} was not evaluated: showing {day:%Y-%m-%d}.")
    st.sidebar.caption(
        f"{int(evaluated.days)} evaluated days, {first_day:%Y-%m-%d} to {last_day:%Y-%m-%d}"
    )
    definition = query(queries.DAY_DEFINITION, scorecard_id, day)
    definition_hash = None if definition.empty else str(definition.definition_hash.iloc[0])
    return Selection(
        scorecard_id=scorecard_id,
        scorecard_name=names.get(scorecard_id, scorecard_id),
        day=day,
        first_day=first_day,
        last_day=last_day,
        definition_hash=definition_hash,
    )


def as_of_caption(selection: Selection) -> str:
    latest = "latest evaluated day" if selection.is_latest else "not the latest day"
    return f"{selection.scorecard_name} · evaluated on {selection.day:%Y-%m-%d} ({latest})"
