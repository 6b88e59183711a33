"""The Initiatives page on the demo company (its two initiatives, a week of history):
what it shows is what the initiative marts hold."""

from __future__ import annotations

from readiness.warehouse import connect_published
from tests.dashboards.conftest import metrics, run_page


def marts(settings, sql: str, *params):
    connection = connect_published(settings)
    try:
        cursor = connection.execute(sql, list(params))
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        connection.close()


def latest_progress(settings):
    return marts(
        settings,
        "select * from marts.fct_initiative_progress_daily where scope_type = 'initiative' "
        "and evaluated_on = (select max(evaluated_on) from marts.fct_entity_scores) "
        "order by initiative_id",
    )


def test_the_list_and_each_initiative_match_the_marts(demo_home, monkeypatch):
    progress = latest_progress(demo_home)
    assert {row["initiative_id"] for row in progress} == {"observable-tier-1-2", "tier-1-bronze"}

    app = run_page("initiatives.py", demo_home.home, monkeypatch)
    listing = app.dataframe[0].value
    assert len(listing) == 2
    for row in progress:
        app = run_page(
            "initiatives.py", demo_home.home, monkeypatch, initiative=row["initiative_id"]
        )
        shown = metrics(app)
        assert shown["Complete"] == f"{row['pct_complete']:.1f}%"
        assert shown["Entities done"] == f"{row['entities_done']} / {row['entities_in_scope']}"

        items = marts(
            demo_home,
            "select entity_ref, rule_id from marts.fct_initiative_action_items "
            "where initiative_id = ? and evaluated_on = ?",
            row["initiative_id"],
            row["evaluated_on"],
        )
        if items:
            table = app.dataframe[-1].value
            assert len(table) == len(items)
            assert set(zip(table.entity, table.rule_name, strict=True))  # one row per item
            assert table.remediation.notna().all()
        else:
            assert "Nothing remains" in app.success[-1].value


def test_lagging_teams_are_the_marts_lagging_teams(demo_home, monkeypatch):
    progress = latest_progress(demo_home)
    for row in progress:
        lagging = marts(
            demo_home,
            "select scope_ref from marts.fct_initiative_progress_daily where scope_type = 'team' "
            "and initiative_id = ? and evaluated_on = ? and is_lagging",
            row["initiative_id"],
            row["evaluated_on"],
        )
        app = run_page(
            "initiatives.py", demo_home.home, monkeypatch, initiative=row["initiative_id"]
        )
        if lagging:
            assert f"{len(lagging)} of" in " ".join(c.value for c in app.caption)
        else:
            assert any("No team is behind" in s.value for s in app.success)


def test_action_items_narrow_to_a_team(demo_home, monkeypatch):
    rows = marts(
        demo_home,
        "select initiative_id, team_ref, count(*) as items from marts.fct_initiative_action_items "
        "where evaluated_on = (select max(evaluated_on) from marts.fct_entity_scores) "
        "and team_ref is not null group by all order by items desc, team_ref limit 1",
    )
    assert rows, "the demo's lagging initiative leaves action items"
    row = rows[0]
    app = run_page(
        "initiatives.py",
        demo_home.home,
        monkeypatch,
        initiative=row["initiative_id"],
        team=row["team_ref"],
    )
    assert len(app.dataframe[-1].value) == row["items"]


def test_a_scorecard_without_initiatives_says_how_to_write_one(scenario_published, monkeypatch):
    app = run_page("initiatives.py", scenario_published.home, monkeypatch)
    assert "scorecards/initiatives/" in app.info[0].value
