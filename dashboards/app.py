"""The readiness dashboard: `readiness serve` runs this with Streamlit.

One page per file in `dashboards/views/`; each page renders the shared scorecard and day
filters itself (`dashboards.filters`), bound to the URL, so every page can be linked
with its selection (`/team?team=group:default/payments&date=2026-06-15`).
"""

from __future__ import annotations

import sys
from pathlib import Path

# Streamlit runs this file as a script: make the repository importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st  # noqa: E402

from dashboards.links import PAGE_PATHS  # noqa: E402
from dashboards.login import require_login  # noqa: E402

st.set_page_config(page_title="readiness", page_icon=":material/verified:", layout="wide")

VIEWS = Path(__file__).resolve().parent / "views"
# Off unless configured (docs/security.md); on, nothing below runs for a person outside
# the allow-list, and the SQL page is listed only for the SQL role.
decision = require_login()


def page(file: str, title: str, icon: str, key: str, **options) -> st.Page:
    return st.Page(
        str(VIEWS / file), title=title, icon=icon, url_path=PAGE_PATHS[key] or None, **options
    )


navigation = st.navigation(
    {
        "Organisation": [
            page("overview.py", "Overview", ":material/dashboard:", "overview", default=True),
            page("heatmap.py", "Heat map", ":material/grid_view:", "heatmap"),
            page("initiatives.py", "Initiatives", ":material/flag:", "initiatives"),
        ],
        "Teams and services": [
            page("team.py", "Team", ":material/groups:", "team"),
            page("service.py", "Service", ":material/deployed_code:", "service"),
        ],
        "Standards and data": [
            page("scorecards.py", "Scorecards", ":material/rule:", "scorecards"),
            page("reports.py", "Reports", ":material/fact_check:", "reports"),
            *(
                [page("sql.py", "SQL", ":material/terminal:", "sql")]
                if decision.may_use_sql
                else []
            ),
            page("dbt_docs.py", "Data docs", ":material/menu_book:", "dbt_docs"),
        ],
    }
)
navigation.run()
