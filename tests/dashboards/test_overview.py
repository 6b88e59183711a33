from streamlit.testing.v1 import AppTest

from readiness.settings import REPO_ROOT


def run_page(page: str, home, monkeypatch) -> AppTest:
    monkeypatch.setenv("READINESS_HOME", str(home))
    app = AppTest.from_file(str(REPO_ROOT / "dashboards" / "views" / page), default_timeout=60)
    app.run()
    assert not app.exception, app.exception
    return app


def test_overview_metrics(scenario_published, monkeypatch):
    app = run_page("overview.py", scenario_published.home, monkeypatch)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Organisation score"] == "38.0%"
    assert metrics["Entities"] == "4"
    assert metrics["Unknown outcomes"] == "18.2%"  # 4 unknown of 22 pass/fail/unknown
    teams = app.dataframe[0].value
    assert list(teams["team"]) == ["payments", "search", "(owner not resolved)"]


def test_overview_without_a_published_warehouse(tmp_path, monkeypatch):
    monkeypatch.setenv("READINESS_HOME", str(tmp_path))
    app = AppTest.from_file(str(REPO_ROOT / "dashboards" / "views" / "overview.py"))
    app.run()
    assert not app.exception
    assert "no published warehouse" in app.error[0].value
