"""The same pipeline on PostgreSQL: dlt loads into a real server, the same dbt project
builds there, and the outcomes are exactly the hand-written scenario's."""

from __future__ import annotations

import os

import pytest

from orchestration.runner import run_days
from tests.conftest import BASIC, SCENARIO_DAY
from tests.postgres_server import postgres_server
from tests.test_scenario import EXPECTED_OUTCOMES, EXPECTED_SCORES, RULES

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def postgres_run(tmp_path_factory):
    from readiness.settings import Settings

    with postgres_server() as server:
        saved = {key: os.environ.get(key) for key in server.environment()}
        os.environ.update(server.environment())
        try:
            settings = Settings(
                home=tmp_path_factory.mktemp("postgres") / "home",
                catalog_dir=BASIC / "catalog",
                custom_data_dir=BASIC / "custom_data",
                scorecards_dir=BASIC / "scorecards",
                backend="postgres",
            )
            summary = run_days(settings, SCENARIO_DAY, quiet=True)
            import psycopg2

            connection = psycopg2.connect(
                host=server.host, port=server.port, user=server.user, dbname=server.database
            )
            yield settings, summary, connection
            connection.close()
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def fetch(connection, sql: str, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_the_run_builds_and_tests_on_postgres(postgres_run):
    settings, summary, _ = postgres_run
    assert summary.success, summary.failures
    assert not summary.source_failures
    assert not settings.warehouse_path.exists()  # nothing went to DuckDB


def test_outcomes_scores_and_levels_are_the_scenarios(postgres_run):
    _, _, connection = postgres_run
    rows = fetch(
        connection,
        "select entity_ref, rule_id, outcome from marts.fct_rule_outcomes where evaluated_on = %s",
        SCENARIO_DAY,
    )
    expected = {
        (entity, rule): outcome
        for entity, outcomes in EXPECTED_OUTCOMES.items()
        for rule, outcome in zip(RULES, outcomes, strict=True)
    }
    assert {(entity, rule): outcome for entity, rule, outcome in rows} == expected
    scores = fetch(
        connection,
        "select entity_ref, score_pct, level, points_earned, points_possible "
        "from marts.fct_entity_scores where evaluated_on = %s",
        SCENARIO_DAY,
    )
    assert {r[0]: (float(r[1]), r[2], r[3], r[4]) for r in scores} == EXPECTED_SCORES
