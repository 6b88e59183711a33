"""Deep links between pages: `team?team=<ref>`, `service?service=<ref>`.

Links are relative to the page they appear on, so they keep working when the app is
served under a path prefix. The URL paths are the ones `dashboards/app.py` gives its pages.
"""

from __future__ import annotations

from urllib.parse import urlencode

PAGE_PATHS = {
    "overview": "",
    "heatmap": "heatmap",
    "team": "team",
    "service": "service",
    "scorecards": "scorecards",
    "initiatives": "initiatives",
    "reports": "reports",
    "sql": "sql",
    "dbt_docs": "dbt-docs",
}


def page_url(page: str, **params: object) -> str:
    query = urlencode({key: value for key, value in params.items() if value is not None})
    path = PAGE_PATHS[page] or "./"
    return f"{path}?{query}" if query else path


def team_url(team_ref: str | None) -> str | None:
    return page_url("team", team=team_ref) if team_ref and team_ref.startswith("group:") else None


def service_url(entity_ref: str | None) -> str | None:
    return page_url("service", service=entity_ref) if entity_ref else None


def markdown_link(text: str, url: str | None) -> str:
    clean = text.replace("[", "(").replace("]", ")")
    return f"[{clean}]({url})" if url else clean
