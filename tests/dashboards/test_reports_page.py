"""The Reports page: the report of `readiness report`, previewed with its filters, and
the downloadable evidence folder, which `readiness report verify` accepts."""

from __future__ import annotations

import io
import zipfile

from dashboards.report_files import evidence_bundle, format_file
from readiness.reports import ReportFilters, build_report, render, verify_folder
from tests.conftest import published_days
from tests.dashboards.conftest import metrics, run_page

PAYMENTS = "group:default/payments"
SEARCH = "group:default/search"
LEDGER = "component:default/ledger"


def table_with(app, column: str):
    """The first table of the page (its tabs included) that has `column`."""
    return next(frame.value for frame in app.dataframe if column in frame.value.columns)


def test_report_of_the_whole_scorecard(scenario_published, monkeypatch):
    app = run_page("reports.py", scenario_published.home, monkeypatch)
    assert metrics(app) == {
        "Entities": "4",
        "Average score": "38.0%",
        "Outcomes": "28",  # 4 entities x 7 rules
        "Active exemptions": "1",  # ledger / has-deps
        "Expired exemptions": "1",  # orphan-svc / runbook, expired 2026-06-01
    }
    labels = [button.label for button in app.get("download_button")]
    assert labels == ["Evidence folder (zip)", "PDF", "Excel", "HTML", "JSON", "CSV (zip)"]
    exemptions = table_with(app, "approved_by").set_index("entity_ref")
    assert exemptions.loc[LEDGER, "status"] == "active"
    assert exemptions.loc["component:default/orphan-svc", "status"] == "expired"
    assert exemptions.loc[LEDGER, "approved_by"] == "cto@example.com"


def test_report_of_a_team_and_of_an_entity(scenario_published, monkeypatch):
    app = run_page("reports.py", scenario_published.home, monkeypatch, team=PAYMENTS)
    assert metrics(app)["Entities"] == "2"
    assert set(table_with(app, "remediation").entity_ref) == {
        LEDGER,
        "component:default/payments-api",
    }

    app = run_page("reports.py", scenario_published.home, monkeypatch, entity=LEDGER)
    assert metrics(app)["Outcomes"] == "7"


def test_filters_that_match_nothing_say_so(scenario_published, monkeypatch):
    app = run_page("reports.py", scenario_published.home, monkeypatch, team=SEARCH, entity=LEDGER)
    assert not app.get("download_button")
    assert "ledger" in app.error[0].value


def test_a_range_of_days_on_the_demo(demo_home, monkeypatch):
    days = published_days(demo_home)
    app = run_page(
        "reports.py",
        demo_home.home,
        monkeypatch,
        period="range",
        **{"from": days[0].isoformat(), "to": days[-1].isoformat()},
    )
    summary = table_with(app, "avg_score_pct")
    assert [str(day)[:10] for day in summary.evaluated_on] == [day.isoformat() for day in days]
    assert not app.warning  # every day of the range was evaluated


def test_the_evidence_folder_verifies_and_matches_the_command(scenario_published, tmp_path):
    report = build_report(scenario_published, ReportFilters(scorecard="scenario"))
    with zipfile.ZipFile(io.BytesIO(evidence_bundle(report))) as archive:
        archive.extractall(tmp_path / "evidence")
    verification = verify_folder(tmp_path / "evidence")
    assert verification.ok, verification.problems
    names = {path.name for path in (tmp_path / "evidence").iterdir()}
    assert names == set(render(report)) | {"manifest.json"}

    assert format_file(report, "pdf").startswith(b"%PDF")
    with zipfile.ZipFile(io.BytesIO(format_file(report, "csv"))) as archive:
        assert set(archive.namelist()) == set(render(report, "csv"))
        assert archive.read("outcomes.csv") == render(report, "csv")["outcomes.csv"]
