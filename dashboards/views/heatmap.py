"""Bird's-eye heat map: domains, teams or services × rules grouped by level.

Hierarchy-aware: domains drill to the top-level teams with services in them, a team to
its child teams plus one row for the services it owns itself, and a team without child
teams (or that row) to its services. A cell is the pass rate of a group (the outcome for
a service), with unknown drawn apart.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import charts, queries, url_state
from dashboards.chart_specs import draw
from dashboards.data import query
from dashboards.filters import as_of_caption, scorecard_and_day
from dashboards.links import service_url, team_url

ROW_KINDS = {"domains": "Domains", "teams": "Teams", "services": "Services"}
SERVICE_ROW_LIMIT = 200
UNRESOLVED = "(owner not resolved)"

st.title("Heat map")
selection = scorecard_and_day()
st.caption(as_of_caption(selection))
scorecard_id, day = selection.scorecard_id, selection.day

if selection.definition_hash is None:
    st.info(f"No evaluation is recorded for {day:%Y-%m-%d}.")
    st.stop()

rules = query(queries.RULES_OF_DEFINITION, scorecard_id, selection.definition_hash)
teams = query(queries.TEAMS).set_index("team_ref")
domains = query(queries.DOMAINS).set_index("domain_ref")
values = query(queries.HEATMAP_FILTER_VALUES, day).iloc[0]


def listed(value) -> list:
    """A DuckDB list from a query (None when the day has no facts) as a Python list."""
    return [] if value is None or (isinstance(value, float) and pd.isna(value)) else list(value)


team_titles = dict(zip(teams.index, teams.title, strict=True))
team_labels = {
    ref: " › ".join(team_titles.get(part, part) for part in str(path).split(" > "))
    if isinstance(path, str)
    else team_titles.get(ref, ref)
    for ref, path in zip(teams.index, teams.path, strict=True)
}


def team_title(ref: str | None) -> str:
    if ref is None:
        return "All teams"
    return str(team_titles.get(ref, ref))


def team_label(ref: str) -> str:
    return team_labels.get(ref, ref)


def domain_title(ref: str | None) -> str:
    if ref is None:
        return "All domains"
    return str(domains.title.get(ref, ref))


parents = set(teams.parent_ref.dropna())


def children_of(ref: str) -> list[str]:
    return list(teams.index[teams.parent_ref == ref]) if ref in parents else []


# --- drilling: callbacks run before the widgets are drawn, so they may set their state --


def drill(kind: str, current_team: str | None, row_ref: str) -> None:
    if kind == "domains":
        url_state.set_values("heatmap", domain=row_ref, rows="teams")
    elif row_ref == current_team:  # the row of the services the team owns itself
        url_state.set_values("heatmap", direct=True, rows="services")
    else:
        rows = "teams" if children_of(row_ref) else "services"
        url_state.set_values("heatmap", team=row_ref, direct=False, rows=rows)


def on_drill_choice(kind: str, current_team: str | None) -> None:
    choice = st.session_state.get("hm_drill")
    if choice:
        drill(kind, current_team, choice)
    st.session_state["hm_drill"] = None


def go_to(domain: str | None, team: str | None, rows: str) -> None:
    url_state.set_values("heatmap", domain=domain, team=team, direct=False, rows=rows)


# --- filters -----------------------------------------------------------------------------

row_kind = url_state.segmented(
    "Rows",
    list(ROW_KINDS),
    param="rows",
    scope="heatmap",
    default="teams",
    format_func=ROW_KINDS.get,
)
cols = st.columns(4)
domain = url_state.select(
    "Domain",
    listed(values.domains),
    param="domain",
    scope="heatmap",
    optional=True,
    placeholder="All domains",
    format_func=domain_title,
    container=cols[0],
)
team = url_state.select(
    "Team",
    list(teams.index),
    param="team",
    scope="heatmap",
    optional=True,
    placeholder="All teams",
    format_func=team_label,
    container=cols[1],
    help="A team with child teams shows one row per child team and one for the services "
    "it owns itself.",
)
lifecycle = url_state.select(
    "Lifecycle",
    listed(values.lifecycles),
    param="lifecycle",
    scope="heatmap",
    optional=True,
    placeholder="Any lifecycle",
    container=cols[2],
)
tier = url_state.select(
    "Tier",
    [str(t) for t in listed(values.tiers)],
    param="tier",
    scope="heatmap",
    optional=True,
    placeholder="Any tier",
    container=cols[3],
)
direct_only = bool(
    team
    and url_state.toggle(
        f"Only services {team_title(team)} owns directly", param="direct", scope="heatmap"
    )
)
params = (
    scorecard_id,
    day,
    domain,
    lifecycle,
    int(tier) if tier else None,
    team,
    direct_only if team else None,
)

# --- breadcrumb --------------------------------------------------------------------------

crumbs = st.container(horizontal=True, gap="small")
crumbs.button(
    "All domains and teams",
    on_click=go_to,
    args=(None, None, "domains"),
    key="crumb_all",
    type="tertiary",
    icon=":material/home:",
)
if domain:
    crumbs.button(
        f"› {domain_title(domain)}",
        on_click=go_to,
        args=(domain, None, "teams"),
        key="crumb_domain",
        type="tertiary",
    )
if team and team in teams.index:
    for part in str(teams.path[team]).split(" > "):
        crumbs.button(
            f"› {team_title(part)}",
            on_click=go_to,
            args=(domain, part, "teams" if children_of(part) else "services"),
            key=f"crumb_{part}",
            type="tertiary",
        )

# --- the grid ----------------------------------------------------------------------------

rules = rules.assign(rule=rules.name.where(~rules.name.duplicated(keep=False), rules.rule_id))
rule_names = rules.set_index("rule_id")

if row_kind == "services":
    cells = query(queries.HEATMAP_BY_ENTITY, *params, SERVICE_ROW_LIMIT)
    if cells.empty:
        st.info("No scored service matches these filters on this day.")
        st.stop()
    in_scope = int(cells.entities_in_scope.iloc[0])
    rows = cells.drop_duplicates("row_ref").sort_values(["avg_score_pct", "title"])
    labels = {
        ref: f"{title} · {score:.0f}%"
        for ref, title, score in zip(
            rows.row_ref, rows.title, rows.avg_score_pct.fillna(0), strict=True
        )
    }
    cells = cells.assign(
        row=cells.row_ref.map(labels),
        rule=cells.rule_id.map(rule_names.rule).fillna(cells.rule_id),
        level=cells.rule_id.map(rule_names.level),
    )
    if in_scope > len(rows):
        st.caption(
            f"Showing the {len(rows)} lowest-scoring of {in_scope} services: narrow with the "
            "domain, team, lifecycle or tier filters."
        )
    else:
        st.caption(f"{in_scope} services, lowest score first.")
    draw(charts.outcome_heatmap, cells, rules, [labels[r] for r in rows.row_ref], width="content")
    table = rows[["row_ref", "title", "avg_score_pct", "level"]].assign(
        link=[service_url(ref) for ref in rows.row_ref]
    )
    st.dataframe(
        table[["title", "link", "avg_score_pct", "level"]],
        hide_index=True,
        width="stretch",
        column_config={
            "link": st.column_config.LinkColumn("service page", display_text="open"),
            "avg_score_pct": st.column_config.NumberColumn("score %", format="%.1f"),
        },
    )
    st.stop()

sql = queries.HEATMAP_BY_DOMAIN if row_kind == "domains" else queries.HEATMAP_BY_TEAM
cells = query(sql, *params)
if cells.empty:
    st.info("No scored service matches these filters on this day.")
    st.stop()


def row_label(ref: str) -> str:
    if row_kind == "domains":
        return domain_title(ref)
    if ref == UNRESOLVED:
        return UNRESOLVED
    if team and ref == team:
        return f"{team_title(ref)} (owned directly)"
    suffix = " ▸" if children_of(ref) else ""
    return f"{team_title(ref)}{suffix}"


rows = cells.drop_duplicates("row_ref")[["row_ref", "entity_count", "avg_score_pct"]]
rows = rows.assign(label=[row_label(ref) for ref in rows.row_ref])
order_by_name = st.toggle("Order rows by name (default: lowest score first)", key="hm_by_name")
rows = rows.sort_values(["label"] if order_by_name else ["avg_score_pct", "label"])
rows["row"] = [
    f"{label} · {int(n)} · {score:.0f}%"
    for label, n, score in zip(
        rows.label, rows.entity_count, rows.avg_score_pct.fillna(0), strict=True
    )
]
display = dict(zip(rows.row_ref, rows.row, strict=True))
cells = cells.assign(
    row=cells.row_ref.map(display),
    rule=cells.rule_id.map(rule_names.rule).fillna(cells.rule_id),
    level=cells.rule_id.map(rule_names.level),
)
st.caption(
    "Row: name · services · average score. Cell: pass rate of the rule among the row's "
    "services (pass / pass + fail + unknown). A purple ? marks unknown outcomes (a fact "
    "is missing or its source is stale); a cell with only unknown outcomes is purple."
)
draw(charts.rate_heatmap, cells, rules, list(rows.row), width="content")

drillable = [ref for ref in rows.row_ref if ref != UNRESOLVED]
if drillable:
    st.selectbox(
        "Drill into",
        drillable,
        index=None,
        placeholder="Choose a row to see what is inside it",
        format_func=lambda ref: display[ref],
        key="hm_drill",
        on_change=on_drill_choice,
        args=(row_kind, team),
    )
if row_kind == "teams":
    links = [f"[{team_title(ref)}]({team_url(ref)})" for ref in rows.row_ref if team_url(ref)]
    if links:
        st.markdown("Team pages: " + " · ".join(links))

with st.expander("The cells as a table"):
    st.dataframe(
        cells[
            [
                "row",
                "rule",
                "level",
                "pass_rate_pct",
                "unknown_rate_pct",
                "pass_count",
                "fail_count",
                "unknown_count",
                "exempt_count",
                "not_applicable_count",
            ]
        ],
        hide_index=True,
        width="stretch",
    )
