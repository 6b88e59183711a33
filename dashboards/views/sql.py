"""SQL for TPMs: read-only queries on the published warehouse, with saved examples.

One statement at a time (SELECT, DESCRIBE, SHOW, SUMMARIZE); writes, ATTACH, COPY,
file-reading functions, settings and extensions are refused before anything runs, and
the connection itself has no file or network access. Results are capped in rows and in
time, and download as CSV.
"""

from __future__ import annotations

import streamlit as st

from dashboards import queries
from dashboards.data import query, require_published, settings
from dashboards.login import require_sql_role
from dashboards.sql_examples import EXAMPLES
from dashboards.sql_guard import MAX_QUERY_CHARS, RefusedQuery
from dashboards.sql_runner import (
    DEFAULT_BYTE_LIMIT,
    DEFAULT_TIME_LIMIT_S,
    PROCESS_MEMORY_MB,
    QueryFailed,
    run_query,
)

MAX_ROW_LIMIT = 50_000
OWN_QUERY = "(your own query)"

st.title("SQL")
require_sql_role()
if not require_published():
    st.stop()
st.caption(
    f"Read-only queries on the published warehouse: one statement, at most "
    f"{MAX_QUERY_CHARS:,} characters, stopped after {DEFAULT_TIME_LIMIT_S:g} s (fetching "
    f"included), results cut at {DEFAULT_BYTE_LIMIT >> 20} MB, "
    f"{PROCESS_MEMORY_MB / 1024:g} GB of memory; no file or network access. Results are in schema `marts` (documented on the Data docs page); "
    "`raw_*` and `staging` hold what was loaded. Examples: docs/sql-examples.md."
)

titles = [OWN_QUERY] + [example.title for example in EXAMPLES]
by_title = {example.title: example for example in EXAMPLES}


def load_example() -> None:
    example = by_title.get(st.session_state.get("sql_example", OWN_QUERY))
    if example is not None:
        st.session_state["sql_text"] = example.sql
        st.session_state.pop("sql_result", None)


if "sql_text" not in st.session_state:
    st.session_state["sql_text"] = EXAMPLES[0].sql
    st.session_state["sql_example"] = EXAMPLES[0].title

left, right = st.columns([3, 1])
with left:
    chosen = st.selectbox("Saved example", titles, key="sql_example", on_change=load_example)
    if chosen in by_title:
        st.caption(by_title[chosen].purpose)
    sql = st.text_area("Query", key="sql_text", height=220)
with right:
    row_limit = st.number_input(
        "Row limit", min_value=1, max_value=MAX_ROW_LIMIT, value=1_000, step=1_000
    )
    run = st.button("Run", type="primary", width="stretch")
    with st.expander("Marts and their columns"):
        for table in query(queries.MART_COLUMNS).itertuples():
            st.markdown(f"**marts.{table.table_name}**: {', '.join(table.columns)}")

if run:
    try:
        result = run_query(settings(), sql, row_limit=int(row_limit))
    except (RefusedQuery, QueryFailed) as exc:
        st.session_state["sql_result"] = exc
    else:
        st.session_state["sql_result"] = result

outcome = st.session_state.get("sql_result")
if isinstance(outcome, RefusedQuery):
    st.error(f"Refused: {outcome}")
elif isinstance(outcome, QueryFailed):
    st.error(f"Failed: {outcome}")
elif outcome is not None:
    frame = outcome.frame
    note = f"{len(frame):,} rows in {outcome.seconds:.2f} s"
    if outcome.byte_cut:
        st.warning(f"{note} — {outcome.note}")
    elif outcome.truncated:
        st.caption(f"{note} — cut at the row limit of {int(row_limit):,}; more rows match")
    else:
        st.caption(note)
    st.dataframe(frame, hide_index=True, width="stretch")
    st.download_button(
        "Download CSV",
        frame.to_csv(index=False).encode("utf-8"),
        file_name="readiness-query.csv",
        mime="text/csv",
        on_click="ignore",
    )
