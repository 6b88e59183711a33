"""Every page on the hand-written scenario (one day, four services), with exact numbers.

The scenario (tests/scenarios/basic) has a department `platform` with child teams
`payments` (payments-api, ledger) and `search` (search-ui), a service whose owner does
not resolve (orphan-svc), a rule no service can be evaluated on (`protected`: GitHub is
not loaded, so unknown), a rule not yet in force (`chat`), and an exemption (ledger,
`has-deps`).
"""

from __future__ import annotations

import pandas as pd

from tests.dashboards.conftest import metrics, run_page

PLATFORM = "group:default/platform"
PAYMENTS = "group:default/payments"
LEDGER = "component:default/ledger"


def cells_table(app):
    """The heat map's cells, from the table under the chart."""
    return app.dataframe[-1].value


def test_overview(scenario_published, monkeypatch):
    app = run_page("overview.py", scenario_published.home, monkeypatch)
    assert metrics(app) == {
        "Organisation score": "38.0%",
        "Entities": "4",
        "Unknown outcomes": "18.2%",  # 4 unknown of 22 pass/fail/unknown outcomes
        "Below the first level": "3",
        "Lost a level this week": "0",
    }
    assert "No entity holds a lower level than seven days before." in [
        m.value for m in app.markdown
    ]
    teams = app.dataframe[-1].value.set_index("team")
    assert list(teams.index) == ["(owner not resolved)", "platform", "payments", "search"]
    assert teams.loc["platform", "tree_entities"] == 3
    assert teams.loc["payments", "direct_score_pct"] == 51.37
    assert teams.loc["payments", "link"] == "team?team=group%3Adefault%2Fpayments"


def test_overview_without_a_published_warehouse(tmp_path, monkeypatch):
    app = run_page("overview.py", tmp_path, monkeypatch)
    assert "no published warehouse" in app.error[0].value


def test_heat_map_top_level_teams_with_unknown_and_not_applicable_cells(
    scenario_published, monkeypatch
):
    app = run_page("heatmap.py", scenario_published.home, monkeypatch)
    cells = cells_table(app)
    assert sorted(cells.row.unique()) == [
        "(owner not resolved) · 1 · 9%",
        "platform ▸ · 3 · 48%",
    ]
    platform = cells[cells.row.str.startswith("platform")].set_index("rule")
    # Columns: rules by level rank, then position in the file.
    assert list(cells.drop_duplicates("rule").rule) == list(platform.index)
    assert platform.loc["Branch protected", "unknown_count"] == 3  # GitHub never loaded
    assert platform.loc["Branch protected", "unknown_rate_pct"] == 100
    assert platform.loc["Chat channel (from 2027)", "not_applicable_count"] == 3  # not in force yet
    assert platform.loc["Has dependencies", "exempt_count"] == 1  # ledger's exemption
    assert platform.loc["Has dependencies", "pass_rate_pct"] == 50  # exempt not counted


def test_heat_map_drills_from_department_to_teams_to_services(scenario_published, monkeypatch):
    app = run_page("heatmap.py", scenario_published.home, monkeypatch)
    app.selectbox(key="hm_drill").set_value(PLATFORM).run()
    assert not app.exception
    assert app.query_params == {"team": PLATFORM}
    assert sorted(cells_table(app).row.unique()) == ["payments · 2 · 51%", "search · 1 · 40%"]

    app.selectbox(key="hm_drill").set_value(PAYMENTS).run()  # a team without child teams
    assert app.query_params == {"team": PAYMENTS, "rows": "services"}
    services = app.dataframe[0].value
    assert list(services.title) == ["ledger", "payments-api"]  # lowest score first
    assert list(services.link) == [
        "service?service=component%3Adefault%2Fledger",
        "service?service=component%3Adefault%2Fpayments-api",
    ]


def test_heat_map_keeps_a_teams_own_services_apart(scenario_published, monkeypatch):
    app = run_page(
        "heatmap.py", scenario_published.home, monkeypatch, team=PLATFORM, rows="services"
    )
    assert len(app.dataframe[0].value) == 3  # the whole tree
    app.toggle(key="url_heatmap_direct").set_value(True).run()
    assert app.query_params["direct"] == "true"
    assert app.info[0].value == "No scored service matches these filters on this day."


def test_heat_map_domains_and_filters(scenario_published, monkeypatch):
    app = run_page("heatmap.py", scenario_published.home, monkeypatch, rows="domains")
    assert sorted(cells_table(app).row.unique()) == ["(no domain) · 2 · 25%", "commerce · 2 · 51%"]

    app = run_page("heatmap.py", scenario_published.home, monkeypatch, lifecycle="experimental")
    assert sorted(cells_table(app).row.unique()) == ["platform ▸ · 1 · 40%"]  # search-ui
    app = run_page("heatmap.py", scenario_published.home, monkeypatch, tier="1")
    assert sorted(cells_table(app).row.unique()) == ["platform ▸ · 1 · 73%"]  # payments-api


def test_team_page_with_child_teams(scenario_published, monkeypatch):
    app = run_page("team.py", scenario_published.home, monkeypatch, team=PLATFORM)
    assert metrics(app) == {
        "Score (child teams included)": "47.6%",
        "Services": "3",
        "Failing rule outcomes": "4",
        "Unknown rule outcomes": "3",
    }
    next_steps = app.dataframe[0].value
    assert list(next_steps.name) == ["Incident process", "Runbook", "Has dependencies"]
    assert list(next_steps.points_at_stake) == [4, 2, 1]
    assert list(next_steps.blocks_next_level) == [0, 1, 1]  # bronze rules block bronze
    assert next_steps.remediation.iloc[0] == "Document it."
    unknown = app.dataframe[1].value
    assert list(unknown.name) == ["Branch protected"] and unknown.unknown_services.iloc[0] == 3
    markdown = " ".join(m.value for m in app.markdown)
    assert "**Owned by platform** (0)" in markdown
    assert "**Owned by child teams** (3)" in markdown


def test_team_page_is_linkable(scenario_published, monkeypatch):
    app = run_page("team.py", scenario_published.home, monkeypatch, team=PAYMENTS)
    assert app.header[0].value == "payments"
    assert metrics(app)["Score"] == "51.4%"
    services = app.dataframe[-1].value
    assert set(services.title) == {"payments-api", "ledger"}


def test_a_link_to_an_unknown_team_says_so(scenario_published, monkeypatch):
    app = run_page("team.py", scenario_published.home, monkeypatch, team="group:default/ghost")
    assert "`group:default/ghost`, which is not among the choices" in app.warning[0].value
    assert app.header[0].value == "platform"  # the first team instead
    assert app.query_params == {}


def test_service_page_shows_reasons_evidence_and_remediation(scenario_published, monkeypatch):
    app = run_page("service.py", scenario_published.home, monkeypatch, service=LEDGER)
    assert app.header[0].value == "ledger"
    assert metrics(app) == {
        "Score": "30.0%",
        "Level": "none",
        "Potential level": "none",
        "Next level": "bronze",
        "Failing · unknown": "2 · 1",
    }
    rules = app.dataframe[0].value.set_index("name")
    assert rules.loc["Has dependencies", "outcome"] == "exempt"
    assert rules.loc["Has dependencies", "reason"].startswith("exempt until 2027-01-01")
    assert rules.loc["Branch protected", "outcome"] == "unknown"
    assert rules.loc["Branch protected", "reason"] == "branch_protected: source github never loaded"
    assert rules.loc["Runbook", "fact_values"] == "has_runbook_link=false"
    assert rules.loc["Runbook", "remediation"] == "Add a runbook link."
    markdown = " ".join(m.value for m in app.markdown)
    assert "[payments](team?team=group%3Adefault%2Fpayments)" in markdown
    assert "[Logs](https://logs.example.com/ledger)" in markdown
    facts = app.dataframe[1].value.set_index("fact")
    assert facts.loc["has_logs_link", "value"] == "True"
    assert pd.isna(facts.loc["branch_protected", "value"])  # GitHub never loaded
    assert facts.loc["branch_protected", "source"] == "github"
    assert "**github**: source github never loaded" in app.warning[0].value


def test_scorecards_page(scenario_published, monkeypatch):
    app = run_page("scorecards.py", scenario_published.home, monkeypatch)
    assert metrics(app) == {"Rules": "7", "Points": "12", "Levels": "2", "Definition versions": "1"}
    rules = app.dataframe[1].value
    assert list(rules.rule_id) == [
        "has-deps",
        "runbook",
        "owner",
        "playbook",
        "prod-logs",
        "chat",
        "protected",
    ]
    assert str(rules.set_index("rule_id").loc["chat", "effective_from"])[:10] == "2027-01-01"
    history = app.dataframe[2].value
    assert len(history) == 1 and bool(history.is_current.iloc[0])
    assert history.days.iloc[0] == 1


def test_dbt_docs_page_says_how_to_generate_them(scenario_published, monkeypatch):
    app = run_page("dbt_docs.py", scenario_published.home, monkeypatch)
    assert "readiness docs --home" in app.info[0].value
