"""History that holds as evidence: immutable days, explicit and recorded backfills,
definition hashes per day, and stale sources turning facts unknown until a fresh load."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from orchestration.runner import run_days
from readiness.standards import load_standards
from readiness.warehouse import connect_published
from tests.conftest import BASIC

pytestmark = pytest.mark.slow
D1 = dt.date(2026, 3, 2)
D2 = D1 + dt.timedelta(days=1)


def query(settings, sql, *params):
    connection = connect_published(settings)
    try:
        return connection.execute(sql, list(params)).fetchall()
    finally:
        connection.close()


def day_rows(settings, day):
    return query(
        settings,
        "select entity_ref, rule_id, outcome, points_possible, points_earned, reason, "
        "definition_hash from marts.fct_rule_outcomes where evaluated_on = ? order by all",
        day,
    )


@pytest.fixture(scope="module")
def history(tmp_path_factory, manifest_dir):
    """D1 with the scenario scorecard, then D2 after a rule changed."""
    from readiness.settings import Settings
    from tests.conftest import copy_manifest

    root = tmp_path_factory.mktemp("history")
    scorecards = root / "scorecards"
    shutil.copytree(BASIC / "scorecards", scorecards)
    settings = Settings(
        home=root / "home",
        catalog_dir=BASIC / "catalog",
        custom_data_dir=BASIC / "custom_data",
        scorecards_dir=scorecards,
    )
    copy_manifest(manifest_dir, settings)
    assert run_days(settings, D1, quiet=True).success
    first_hash = load_standards(scorecards).scorecards[0].definition_hash
    d1_before = day_rows(settings, D1)

    # the standard changes: the runbook rule is now worth 5 points
    card = scorecards / "scenario.yml"
    card.write_text(
        card.read_text().replace(
            "    points: 2\n    description: A runbook link.",
            "    points: 5\n    description: A runbook link.",
        )
    )
    second_hash = load_standards(scorecards).scorecards[0].definition_hash
    assert second_hash != first_hash
    assert run_days(settings, D2, quiet=True).success
    return settings, first_hash, second_hash, d1_before


def test_a_published_day_keeps_its_outcomes_when_the_rules_change(history):
    settings, first_hash, second_hash, d1_before = history
    assert day_rows(settings, D1) == d1_before
    assert {row[-1] for row in d1_before} == {first_hash}
    assert {row[-1] for row in day_rows(settings, D2)} == {second_hash}
    points = query(
        settings,
        "select evaluated_on, max(points_possible) from marts.fct_rule_outcomes "
        "where rule_id = 'runbook' group by evaluated_on order by 1",
    )
    assert points == [(D1, 2), (D2, 5)]


def test_an_ordinary_run_of_a_past_day_changes_nothing(history):
    settings, _, _, d1_before = history
    assert run_days(settings, D1, quiet=True).success
    assert day_rows(settings, D1) == d1_before


def test_an_explicit_backfill_changes_the_past_and_is_recorded(history):
    settings, first_hash, second_hash, d1_before = history
    summary = run_days(settings, D1, D2, reevaluate=True, trigger="backfill", quiet=True)
    assert summary.success, summary.failures
    after = day_rows(settings, D1)
    assert after != d1_before and {row[-1] for row in after} == {second_hash}
    log = query(
        settings,
        "select evaluated_on, definition_hash, previous_definition_hash, is_reevaluation, trigger "
        "from marts.fct_evaluations order by evaluated_at, evaluated_on",
    )
    assert log[0] == (D1, first_hash, None, False, "cli")
    assert (D2, second_hash, None, False, "cli") in log
    assert (D1, second_hash, first_hash, True, "backfill") in log
    assert (D2, second_hash, second_hash, True, "backfill") in log
    (who,) = query(settings, "select distinct triggered_by from marts.fct_evaluations")
    assert who[0]  # the user who ran it


def test_a_stale_source_makes_its_rules_unknown_until_a_fresh_load(history):
    settings, *_ = history
    # custom data is not loaded for four days: past the 2-day window its facts are unknown
    stale_day = D2 + dt.timedelta(days=4)
    assert run_days(_without_custom_data(settings), stale_day, quiet=True).success
    rows = query(
        settings,
        "select distinct outcome, reason from marts.fct_rule_outcomes "
        "where evaluated_on = ? and rule_id = 'playbook'",
        stale_day,
    )
    assert rows == [
        (
            "unknown",
            f"incident_process_documented: source custom_data last loaded {D2} (stale after 2 days)",
        )
    ]
    # a fresh load restores them
    fresh_day = stale_day + dt.timedelta(days=1)
    assert run_days(settings, fresh_day, quiet=True).success
    outcomes = dict(
        query(
            settings,
            "select entity_ref, outcome from marts.fct_rule_outcomes "
            "where evaluated_on = ? and rule_id = 'playbook'",
            fresh_day,
        )
    )
    assert outcomes["component:default/payments-api"] == "pass"
    assert outcomes["component:default/ledger"] == "fail"


def _without_custom_data(settings):
    from dataclasses import replace

    return replace(settings, custom_data_dir=None)
