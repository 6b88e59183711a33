"""Pages and queries that need history: the small demo company (30 services, 8 days).

The heat map computes its cells from one day's outcomes and facts (so that lifecycle,
tier, domain and team filters combine); without filters those cells must equal the
pass-rate rollup dbt precomputes (fct_rule_pass_rates_daily), row for row. Movers of a
past day are computed from the scores; on the latest day they must equal fct_movers.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from dashboards import queries
from dashboards.dbt_docs_files import read_generated
from readiness.warehouse import connect_published, published_version
from tests.dashboards.conftest import DEMO_DAYS, metrics, run_page

SCORECARD = "production-readiness"
RATE_COLUMNS = ["pass_count", "fail_count", "unknown_count", "exempt_count", "pass_rate_pct"]


@pytest.fixture(scope="module")
def warehouse(demo_home):
    connection = connect_published(demo_home)
    day = connection.execute(queries.DAY_ON_OR_BEFORE, [SCORECARD, dt.date(2999, 1, 1)]).fetchone()[
        0
    ]
    yield connection, day
    connection.close()


def mart_rates(connection, day, scope_type: str, refs: list[str]) -> pd.DataFrame:
    rates = connection.execute(
        "select scope_ref as row_ref, rule_id, pass_count, fail_count, unknown_count, "
        "exempt_count, pass_rate_pct from marts.fct_rule_pass_rates_daily "
        "where scorecard_id = $1 and evaluated_on = $2 and scope_type = $3",
        [SCORECARD, day, scope_type],
    ).df()
    return rates[rates.row_ref.isin(refs)]


def normalised(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[["row_ref", "rule_id", *RATE_COLUMNS]].copy()
    frame[RATE_COLUMNS[:-1]] = frame[RATE_COLUMNS[:-1]].astype(int)
    return frame.sort_values(["row_ref", "rule_id"]).reset_index(drop=True)


def test_heat_map_cells_equal_the_precomputed_rollups(warehouse):
    connection, day = warehouse
    no_filter = [SCORECARD, day, None, None, None]

    domains = connection.execute(queries.HEATMAP_BY_DOMAIN, [*no_filter, None, None]).df()
    expected = mart_rates(connection, day, "domain", list(domains.row_ref.unique()))
    assert len(domains) > 0
    pd.testing.assert_frame_equal(normalised(domains), normalised(expected))

    teams = connection.execute("select team_ref, parent_ref from marts.dim_teams").df()
    top = connection.execute(queries.HEATMAP_BY_TEAM, [*no_filter, None, None]).df()
    roots = [ref for ref in top.row_ref.unique() if ref != "(owner not resolved)"]
    assert set(roots) <= set(teams.team_ref[teams.parent_ref.isna()])
    pd.testing.assert_frame_equal(
        normalised(top[top.row_ref.isin(roots)]),
        normalised(mart_rates(connection, day, "team_tree", roots)),
    )

    parents = teams.parent_ref.dropna().unique()
    assert len(parents) > 0
    for parent in parents:
        drilled = connection.execute(queries.HEATMAP_BY_TEAM, [*no_filter, parent, None]).df()
        children = [ref for ref in drilled.row_ref.unique() if ref != parent]
        pd.testing.assert_frame_equal(
            normalised(drilled[drilled.row_ref.isin(children)]),
            normalised(mart_rates(connection, day, "team_tree", children)),
        )
        # The parent's own services: the rollup of the team itself, not its tree.
        pd.testing.assert_frame_equal(
            normalised(drilled[drilled.row_ref == parent]),
            normalised(mart_rates(connection, day, "team", [parent])),
        )


def test_movers_of_any_day_equal_fct_movers_on_the_latest(warehouse):
    connection, day = warehouse
    columns = ["subject_type", "subject_ref", "score_then", "score_now", "score_change",
               "level_then", "level_now", "level_change", "lost_level"]  # fmt: skip
    from_mart = connection.execute(queries.MOVERS, [SCORECARD, day, 7]).df()
    computed = connection.execute(queries.MOVERS_AT_DAY, [SCORECARD, day, 7]).df()
    assert len(from_mart) > 0
    assert (from_mart.score_change != 0).any()
    key = ["subject_type", "subject_ref"]
    pd.testing.assert_frame_equal(
        computed[columns].sort_values(key).reset_index(drop=True),
        from_mart[columns].sort_values(key).reset_index(drop=True),
        check_dtype=False,
    )


def test_overview_has_trends_and_movers(demo_home, monkeypatch):
    app = run_page("overview.py", demo_home.home, monkeypatch)
    shown = metrics(app)
    assert shown["Entities"] == "30"
    assert len(app.get("vega_lite_chart")) == 5
    rises, drops = (frame.value for frame in app.dataframe[-3:-1])
    assert len(rises) + len(drops) > 0  # 8 days of a simulated company: some moved
    assert (rises.score_change > 0).all() and (drops.score_change < 0).all()
    assert list(drops.score_change) == sorted(drops.score_change)
    assert all(link.startswith("service?service=component%3A") for link in rises.link)

    app.segmented_control(key="movers_kind").set_value("team_tree").run()
    rises, drops = (frame.value for frame in app.dataframe[-3:-1])
    assert all(link.startswith("team?team=group%3A") for link in [*rises.link, *drops.link])


def test_overview_on_a_past_day(demo_home, monkeypatch):
    app = run_page("overview.py", demo_home.home, monkeypatch)
    first = app.date_input(key="url_date").min
    past = first + dt.timedelta(days=DEMO_DAYS - 2)
    app = run_page("overview.py", demo_home.home, monkeypatch, date=past.isoformat())
    assert f"evaluated on {past:%Y-%m-%d} (not the latest day)" in app.caption[0].value
    assert app.query_params == {"date": past.isoformat()}


def test_service_page_history(demo_home, monkeypatch):
    app = run_page("service.py", demo_home.home, monkeypatch)
    assert app.subheader.values == ["Rules", "History", "Facts"]
    assert len(app.dataframe[0].value) == 16  # every rule of the scorecard
    assert len(app.get("vega_lite_chart")) == 2


def test_dbt_docs_are_generated_for_the_published_warehouse(demo_home, monkeypatch):
    from orchestration.dbt_docs import ensure_dbt_docs

    docs = read_generated(demo_home)
    assert docs is not None
    assert docs.published_version == published_version(demo_home).key
    catalog = json.loads((docs.folder / "catalog.json").read_text())
    scores = next(n for k, n in catalog["nodes"].items() if k.endswith(".fct_entity_scores"))
    assert {"score_pct", "level", "next_level"} <= set(scores["columns"])
    manifest = json.loads((docs.folder / "manifest.json").read_text())
    node = next(n for k, n in manifest["nodes"].items() if k.endswith(".fct_entity_scores"))
    assert node["columns"]["score_pct"]["description"].startswith("Points of passing rules")

    before = (docs.folder / "generated.json").stat().st_mtime_ns
    ensure_dbt_docs(demo_home, echo=lambda _: None)  # unchanged warehouse: nothing to do
    assert (docs.folder / "generated.json").stat().st_mtime_ns == before

    app = run_page("dbt_docs.py", demo_home.home, monkeypatch)
    frames = app.get("iframe")
    assert len(frames) == 1
    assert "fct_entity_scores" in frames[0].proto.srcdoc
    assert "published again since" not in app.caption[0].value
