"""The same pipeline on PostgreSQL: dlt loads into a real server, the same dbt project
builds there, and the outcomes are exactly the hand-written scenario's; the initiative
marts too, and notifications go through an outbox in PostgreSQL."""

from __future__ import annotations

import os
import shutil
import textwrap

import pytest

from orchestration.runner import run_days
from tests.conftest import BASIC, SCENARIO_DAY
from tests.postgres_server import postgres_server
from tests.test_scenario import EXPECTED_OUTCOMES, EXPECTED_SCORES, RULES

pytestmark = pytest.mark.slow

# Two initiatives on the scenario scorecard, evaluated on SCENARIO_DAY (Monday 15 June):
# - pg-runbooks: tier 1 and 2 link a runbook, due the next day. payments-api (tier 1) is
#   done, ledger (tier 2) is not; orphan-svc and search-ui have no tier: out of scope.
# - pg-bronze: bronze for the platform department (payments, and search below it), due
#   10 June: overdue. payments-api holds bronze; ledger lacks its runbook, search-ui has
#   no dependency.
INITIATIVES = """
id: pg-runbooks
name: Runbooks for tier 1 and 2
scorecard: scenario
target:
  rules: [runbook]
entities:
  tier: [1, 2]
start_date: 2026-06-01
due_date: 2026-06-16
owner: alice
---
id: pg-bronze
name: Bronze for the platform
scorecard: scenario
target:
  level: bronze
entities:
  team: platform
start_date: 2026-06-01
due_date: 2026-06-10
owner: user:default/alice
notifications:
  reminders: [1]
"""
PAYMENTS_TEAM, SEARCH_TEAM, PLATFORM = (
    f"group:default/{name}" for name in ("payments", "search", "platform")
)


@pytest.fixture(scope="module")
def postgres_run(tmp_path_factory):
    from readiness.settings import Settings

    root = tmp_path_factory.mktemp("postgres")
    scorecards = root / "scorecards"
    shutil.copytree(BASIC / "scorecards", scorecards)
    (scorecards / "initiatives").mkdir()
    (scorecards / "initiatives" / "pg.yml").write_text(textwrap.dedent(INITIATIVES).lstrip())
    with postgres_server() as server:
        saved = {key: os.environ.get(key) for key in server.environment()}
        os.environ.update(server.environment())
        try:
            settings = Settings(
                home=root / "home",
                catalog_dir=BASIC / "catalog",
                custom_data_dir=BASIC / "custom_data",
                scorecards_dir=scorecards,
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


def test_initiative_progress_and_action_items_on_postgres(postgres_run):
    _, _, connection = postgres_run
    rows = fetch(
        connection,
        """
        select initiative_id, scope_ref, parent_team_ref, entities_in_scope, entities_done,
            entities_remaining, pct_complete, expected_pct, days_left, burn_rate_per_day,
            projected_completion_on, status, is_lagging
        from marts.fct_initiative_progress_daily where evaluated_on = %s
        order by initiative_id, scope_ref
        """,
        SCENARIO_DAY,
    )
    assert rows == [
        ("pg-bronze", PAYMENTS_TEAM, PLATFORM, 2, 1, 1, 50.0, 100.0, -5, None, None, "overdue",
         True),
        ("pg-bronze", SEARCH_TEAM, PLATFORM, 1, 0, 1, 0.0, 100.0, -5, None, None, "overdue",
         True),
        ("pg-bronze", "initiative", None, 3, 1, 2, 33.33, 100.0, -5, None, None, "overdue",
         True),
        ("pg-runbooks", PAYMENTS_TEAM, PLATFORM, 2, 1, 1, 50.0, 50.0, 1, None, None,
         "on_track", False),
        ("pg-runbooks", "initiative", None, 2, 1, 1, 50.0, 50.0, 1, None, None, "on_track",
         False),
    ]  # fmt: skip
    items = fetch(
        connection,
        """
        select initiative_id, entity_ref, team_ref, rule_id, outcome, remediation
        from marts.fct_initiative_action_items where evaluated_on = %s
        order by initiative_id, entity_ref, rule_id
        """,
        SCENARIO_DAY,
    )
    assert items == [
        ("pg-bronze", "component:default/ledger", PAYMENTS_TEAM, "runbook", "fail",
         "Add a runbook link."),
        ("pg-bronze", "component:default/search-ui", SEARCH_TEAM, "has-deps", "fail",
         "Add spec.dependsOn."),
        ("pg-runbooks", "component:default/ledger", PAYMENTS_TEAM, "runbook", "fail",
         "Add a runbook link."),
    ]  # fmt: skip
    current = fetch(
        connection,
        "select initiative_id, target_text, is_current from marts.dim_initiatives order by 1",
    )
    assert current == [
        ("pg-bronze", "hold level bronze", True),
        ("pg-runbooks", "pass runbook", True),
    ]


def test_notifications_go_through_an_outbox_in_postgres(postgres_run, monkeypatch):
    from orchestration.notifications.assets import open_working_warehouse
    from orchestration.notifications.config import notify_settings
    from readiness.notify.deliver import notify
    from tests.initiatives.receivers import SmtpInbox, WebhookReceiver

    settings, _, connection = postgres_run
    inbox, hooks = SmtpInbox(), WebhookReceiver(hooks=("payments", "search", "platform", "alice"))
    inbox.start()
    hooks.start()
    try:
        for key, value in {**inbox.env(), **hooks.env()}.items():
            monkeypatch.setenv(key, value)

        def run(dry_run: bool = False):
            db = open_working_warehouse(settings, read_only=dry_run)
            try:
                return notify(db, SCENARIO_DAY, notify_settings(), dry_run=dry_run)
            finally:
                db.close()

        # the pipeline's own step created the outbox after the publish; no channel was
        # configured then, so it is empty; a dry run leaves it so
        outbox = "select count(*) from notifications.outbox"
        assert fetch(connection, outbox) == [(0,)]
        preview = run(dry_run=True)
        assert len(preview.deliveries) == 11 and fetch(connection, outbox) == [(0,)]
        assert not hooks.posts and not inbox.mails

        report = run()
        assert not report.failed and len(report.sent) == 11
        runbooks, bronze = "Runbooks for tier 1 and 2", "Bronze for the platform"
        owner_runbooks = f"[readiness] {runbooks}: 50 % done, on track"
        owner_bronze = f"[readiness] {bronze}: 33 % done, overdue"
        created = f"[readiness] New initiative for {PAYMENTS_TEAM}: {runbooks}"
        overdue = [f"[readiness] Overdue: {t} on {bronze} (due 2026-06-10)" for t in
                   (PAYMENTS_TEAM, SEARCH_TEAM)]  # fmt: skip
        assert sorted((p.hook, p.text.splitlines()[0].strip("*")) for p in hooks.posts) == sorted(
            [
                ("payments", created),
                ("payments", f"[readiness] {bronze}: {PAYMENTS_TEAM}, 1 to go"),
                ("search", f"[readiness] {bronze}: {SEARCH_TEAM}, 1 to go"),
                ("platform", overdue[0]),
                ("platform", overdue[1]),
                ("alice", owner_runbooks),
                ("alice", owner_bronze),
            ]
        )
        # search and platform have no email address in this catalog: not queued on email
        assert sorted((m.recipients, m.subject) for m in inbox.mails) == sorted(
            (["alice@example.com"], subject)
            for subject in (
                created,
                f"[readiness] {bronze}: {PAYMENTS_TEAM}, 1 to go",
                owner_runbooks,
                owner_bronze,
            )
        )
        assert fetch(
            connection,
            "select status, count(*) from notifications.outbox group by status order by 1",
        ) == [("sent", 11), ("superseded", 4)]
        assert fetch(
            connection, "select count(*), min(attempt) from notifications.delivery_attempts"
        ) == [(11, 1)]

        again = run()  # nothing new
        assert not again.queued and not again.deliveries
        assert len(hooks.posts) == 7 and len(inbox.mails) == 4
    finally:
        inbox.stop()
        hooks.stop()
