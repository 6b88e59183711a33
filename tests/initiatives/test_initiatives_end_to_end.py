"""Initiatives end to end: a small company over four days, through the real pipeline
(dlt, dbt, Dagster), then notifications to a real SMTP server and a real webhook receiver.

One pipeline run evaluates D1-D4 with a first version of the `runbooks` initiative (a
copy of its working warehouse is kept). Then its due date moves: the standards are
loaded again (the real dlt source) and dbt rebuilds the initiative models only (the
incremental path: the changed initiative's whole history is rebuilt under its new
definition, the other initiative is left alone). Every notification test starts from a
copy of one of the two working warehouses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from orchestration.build import build_definitions
from orchestration.evaluation.manifest import dbt_executable
from orchestration.ingestion.assets import pipeline
from orchestration.ingestion.sources import source_spec
from orchestration.notifications.assets import CHECK_NAME, NOTIFY_JOB, notify_run_config
from orchestration.notifications.command import notify_command
from orchestration.notifications.config import notify_settings
from orchestration.runner import dagster_instance, run_days
from readiness.notify.database import Database
from readiness.notify.deliver import notify
from readiness.settings import Settings
from readiness.standards import load_standards
from readiness.warehouse import connect_published, publish
from tests.conftest import copy_manifest
from tests.initiatives.company import (
    D1,
    D2,
    D3,
    D4,
    DAYS,
    RUNBOOKS_DUE_FIRST,
    write_catalog,
    write_standards,
)
from tests.initiatives.receivers import SMTP_PASSWORD, WEBHOOK_TOKEN, SmtpInbox, WebhookReceiver

pytestmark = pytest.mark.slow
PAYMENTS, SEARCH, PLATFORM = (f"group:default/{t}" for t in ("payments", "search", "platform"))


def rebuild_initiatives(settings: Settings) -> None:
    """Load the standards again and build the initiative models (not the whole project)."""
    spec = source_spec("scorecards")
    pipeline(settings, spec).run(spec.build(settings, [D4]))
    result = subprocess.run(
        [dbt_executable(), "build", "--select", "path:models/staging/scorecards",
         "path:models/marts/initiatives", "--project-dir", str(settings.dbt_project_dir)],
        env={**os.environ, **settings.dbt_env()},
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    publish(settings)


@pytest.fixture(scope="module")
def company(tmp_path_factory, manifest_dir):
    root = tmp_path_factory.mktemp("initiatives")
    catalog = write_catalog(root / "catalog")
    scorecards = write_standards(root / "scorecards", runbooks_due=RUNBOOKS_DUE_FIRST)
    first_hash = {i.id: i.definition_hash for i in load_standards(scorecards).initiatives}
    settings = Settings(home=root / "home", catalog_dir=catalog, scorecards_dir=scorecards)
    copy_manifest(manifest_dir, settings)
    summary = run_days(settings, D1, D4, quiet=True)
    assert summary.success, summary.failures
    first_version = root / "first-version.duckdb"
    shutil.copy(settings.warehouse_path, first_version)
    write_standards(scorecards)  # the runbooks initiative is now due the day after D4
    rebuild_initiatives(settings)
    return settings, first_hash, first_version


def query(settings: Settings, sql: str, *params) -> list[tuple]:
    connection = connect_published(settings)
    try:
        return connection.execute(sql, list(params)).fetchall()
    finally:
        connection.close()


def test_a_changed_initiative_gets_its_history_rebuilt_and_nothing_else_is(company):
    settings, first_hash, _ = company
    current = {i.id: i.definition_hash for i in load_standards(settings.scorecards_dir).initiatives}
    assert current["runbooks"] != first_hash["runbooks"]
    assert current["bronze-platform"] == first_hash["bronze-platform"]
    built = query(
        settings,
        "select invocation_id, initiative_id, evaluated_on from intermediate.int_initiative_days "
        "order by evaluated_at, initiative_id, evaluated_on",
    )
    first, last = built[0][0], built[-1][0]
    assert [(i, d) for inv, i, d in built if inv == first] == [
        ("bronze-platform", day) for day in DAYS
    ]
    assert [(i, d) for inv, i, d in built if inv == last] == [("runbooks", day) for day in DAYS]
    # every row of the runbooks initiative is of the definition in force; none is stale
    for model in ("fct_initiative_entities_daily", "fct_initiative_progress_daily"):
        hashes = query(
            settings,
            f"select distinct definition_hash from marts.{model} where initiative_id = 'runbooks'",
        )
        assert hashes == [(current["runbooks"],)], model
    versions = query(
        settings,
        "select definition_hash, due_date, is_current from marts.dim_initiatives "
        "where initiative_id = 'runbooks' order by first_loaded_at",
    )
    assert versions == [
        (first_hash["runbooks"], RUNBOOKS_DUE_FIRST, False),
        (current["runbooks"], D4 + dt.timedelta(days=1), True),
    ]
    # the pipeline's own notification step ran after the publish: no channel configured,
    # so nothing was queued, and no DuckDB writer was left behind
    connection = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        assert connection.execute("select count(*) from notifications.outbox").fetchone() == (0,)
    finally:
        connection.close()


def test_burn_up_per_day_and_the_lagging_teams(company):
    settings, _, _ = company
    rows = query(
        settings,
        """
        select evaluated_on, scope_ref, entities_in_scope, entities_done, pct_complete,
            expected_pct, days_left, status, is_lagging
        from marts.fct_initiative_progress_daily
        where initiative_id = 'runbooks' order by scope_ref, evaluated_on
        """,
    )
    # tier 1 and 2: pay-api, pay-worker (runbook from D3), ledger (never), search-api
    assert [r[:5] for r in rows if r[1] == "initiative"] == [
        (D1, "initiative", 4, 2, 50.0),
        (D1 + dt.timedelta(days=1), "initiative", 4, 2, 50.0),
        (D3, "initiative", 4, 3, 75.0),
        (D4, "initiative", 4, 3, 75.0),
    ]
    overall = {r[0]: r for r in rows if r[1] == "initiative"}
    # the straight line from 50 % on D1 to 100 % on 6 March (5 days)
    assert [overall[d][5] for d in DAYS] == [50.0, 62.5, 75.0, 87.5]
    assert [overall[d][7] for d in DAYS] == ["on_track", "behind", "on_track", "behind"]
    teams = {(r[1], r[0]): r for r in rows if r[1] != "initiative"}
    assert teams[(PAYMENTS, D4)][2:5] == (3, 2, 66.67)
    assert teams[(PAYMENTS, D4)][8] is True
    assert teams[(SEARCH, D4)][7] == "done" and teams[(SEARCH, D4)][8] is False

    lagging = query(
        settings,
        "select scope_ref, status, parent_team_ref from marts.fct_initiative_progress_daily "
        "where initiative_id = 'bronze-platform' and evaluated_on = ? and scope_type = 'team' "
        "and is_lagging order by scope_ref",
        D4,
    )
    assert lagging == [(PAYMENTS, "overdue", PLATFORM), (SEARCH, "overdue", PLATFORM)]


def test_action_items_carry_the_remediation_and_entities_their_level_drops(company):
    settings, _, _ = company
    items = query(
        settings,
        "select initiative_id, entity_ref, team_ref, rule_id, outcome, remediation "
        "from marts.fct_initiative_action_items where evaluated_on = ? order by all",
        D4,
    )
    assert items == [
        ("bronze-platform", "component:default/ledger", PAYMENTS, "logs", "fail",
         "Add a link of type logs to metadata.links."),
        ("bronze-platform", "component:default/ledger", PAYMENTS, "runbook", "fail",
         "Add a link of type runbook to metadata.links."),
        ("bronze-platform", "component:default/search-api", SEARCH, "logs", "fail",
         "Add a link of type logs to metadata.links."),
        ("runbooks", "component:default/ledger", PAYMENTS, "runbook", "fail",
         "Add a link of type runbook to metadata.links."),
    ]  # fmt: skip
    drops = query(
        settings,
        "select distinct entity_ref, previous_level_rank, level_rank "
        "from marts.fct_initiative_entities_daily where dropped_level",
    )
    assert drops == [("component:default/search-api", 1, 0)]
    # search-ui is experimental (outside bronze-platform) and tier 3 (outside runbooks)
    scoped = query(
        settings,
        "select count(*) from marts.fct_initiative_entities_daily "
        "where entity_ref = 'component:default/search-ui'",
    )
    assert scoped == [(0,)]
    contacts = query(
        settings,
        "select recipient_ref, email, source from marts.dim_notification_contacts "
        "where recipient_kind = 'group' order by all",
    )
    assert contacts == [
        (PAYMENTS, "alice@example.com", "catalog_member"),
        (PAYMENTS, "bob@example.com", "catalog_member"),
        (PLATFORM, "platform-leads@example.com", "group_email"),
        (SEARCH, "carol@example.com", "catalog_member"),
    ]


# ---- notifications -------------------------------------------------------------------


@pytest.fixture(scope="module")
def receivers():
    inbox, hooks = SmtpInbox(), WebhookReceiver()
    inbox.start()
    hooks.start()
    yield inbox, hooks
    inbox.stop()
    hooks.stop()


@pytest.fixture
def channels(receivers, monkeypatch):
    inbox, hooks = receivers
    inbox.mails.clear()
    hooks.server.clear_log()
    hooks.failing.clear()
    for key, value in {**inbox.env(), **hooks.env()}.items():
        monkeypatch.setenv(key, value)
    return inbox, hooks


def copy_home(source: Settings, warehouse: Path, folder: Path, manifest_dir: Path) -> Settings:
    settings = Settings(
        home=folder, catalog_dir=source.catalog_dir, scorecards_dir=source.scorecards_dir
    )
    settings.ensure_home()
    shutil.copy(warehouse, settings.warehouse_path)
    copy_manifest(manifest_dir, settings)
    return settings


@pytest.fixture
def home(company, tmp_path, manifest_dir) -> Settings:
    """A copy of the company's working warehouse: each test starts from the same outbox."""
    source, _, _ = company
    return copy_home(source, source.warehouse_path, tmp_path / "home", manifest_dir)


@pytest.fixture
def first_version_home(company, tmp_path, manifest_dir) -> Settings:
    """A copy of the working warehouse as built with the first version of `runbooks`
    (due 10 March, eight days after D1)."""
    source, _, first_version = company
    return copy_home(source, first_version, tmp_path / "home", manifest_dir)


def run(settings: Settings, day: dt.date, dry_run: bool = False):
    db = Database.duckdb(duckdb.connect(str(settings.warehouse_path), read_only=dry_run))
    try:
        return notify(db, day, notify_settings(), dry_run=dry_run)
    finally:
        db.close()


def received(inbox: SmtpInbox, hooks: WebhookReceiver) -> list[tuple[str, str, str]]:
    """(channel, recipient, subject) of everything delivered, sorted."""
    slack = [("slack", post.hook, post.text.splitlines()[0].strip("*")) for post in hooks.posts]
    mail = [("email", ",".join(sorted(m.recipients)), m.subject) for m in inbox.mails]
    return sorted(slack + mail)


RUNBOOKS, BRONZE = "Runbooks for tier 1 and 2", "Bronze for the platform's production services"


def test_each_event_reaches_its_owners_once(home, channels):
    inbox, hooks = channels
    # D3: two new initiatives for payments (their first reminder and digest superseded),
    # and the owner's digests (daily for runbooks, the week of Monday 2 March for bronze)
    report = run(home, D3)
    created = [f"[readiness] New initiative for {PAYMENTS}: {name}" for name in (BRONZE, RUNBOOKS)]
    tina_digests = [
        f"[readiness] {BRONZE}: 75 % done, behind the straight line to the due date",
        f"[readiness] {RUNBOOKS}: 75 % done, on track",
    ]
    assert received(inbox, hooks) == sorted(
        [("email", "alice@example.com,bob@example.com", s) for s in created]
        + [("email", "tina.tpm@example.com", s) for s in tina_digests]
        + [("slack", "payments", s) for s in created]
        + [("slack", "tina", s) for s in tina_digests]
    )
    assert len(report.sent) == 8 and not report.failed
    assert {m.key.split("/")[1] for m in report.superseded} == {
        "reminder-7d", "reminder-1d", "digest-2026-03-04", "digest-2026-03-02"
    }  # fmt: skip
    (runbooks_mail,) = [m for m in inbox.mails if m.subject == created[1]]
    assert "• component:default/ledger" in runbooks_mail.body
    assert "Runbook linked [runbook, bronze]: failing. Add a link of type runbook" in (
        runbooks_mail.body
    )
    assert "component:default/pay-worker" not in runbooks_mail.body  # done on D3
    assert runbooks_mail.message["From"] == "readiness@example.com"

    # the same day again: nothing new
    before = received(inbox, hooks)
    again = run(home, D3)
    assert received(inbox, hooks) == before
    assert again.planned == 16 and not again.queued and not again.deliveries

    # D4: the 1-day reminder, the owner's new daily digest, search's digest (its service
    # dropped), the escalation of both teams to their parent, and the level-drop alert
    inbox.mails.clear()
    hooks.server.clear_log()
    report = run(home, D4)
    reminder = f"[readiness] Reminder: {RUNBOOKS} is due tomorrow (2026-03-06)"
    overdue = [f"[readiness] Overdue: {t} on {BRONZE} (due 2026-03-04)" for t in (PAYMENTS, SEARCH)]
    search_digest = f"[readiness] {BRONZE}: {SEARCH}, 1 to go"
    owner_digest = f"[readiness] {RUNBOOKS}: 75 % done, behind the straight line to the due date"
    drop = "[readiness] component:default/search-api dropped to no level on ops"
    assert received(inbox, hooks) == sorted(
        [
            ("email", "alice@example.com,bob@example.com", reminder),
            ("email", "carol@example.com", search_digest),
            ("email", "carol@example.com", drop),
            ("email", "platform-leads@example.com", overdue[0]),
            ("email", "platform-leads@example.com", overdue[1]),
            ("email", "tina.tpm@example.com", owner_digest),
            ("slack", "payments", reminder),
            ("slack", "platform", overdue[0]),
            ("slack", "platform", overdue[1]),
            ("slack", "search", drop),
            ("slack", "search", search_digest),
            ("slack", "tina", owner_digest),
        ]
    )
    (alert,) = [p.text for p in hooks.posts if p.text.startswith(f"*{drop}")]
    assert "went from bronze to no level on the ops scorecard on 2026-03-05" in alert
    assert f"It counts in: {BRONZE}, {RUNBOOKS}." in alert
    assert "Logs linked [logs, bronze]: failing. Add a link of type logs" in alert
    (escalation,) = [m for m in inbox.mails if m.subject == overdue[0]]
    assert f"Escalation to {PLATFORM}: {PAYMENTS} still has 1 of 3 entities" in escalation.body
    assert len(report.sent) == 12

    inbox.mails.clear()
    hooks.server.clear_log()
    assert not run(home, D4).deliveries and received(inbox, hooks) == []


def test_reminders_come_seven_days_and_one_day_before_the_due_date(first_version_home, channels):
    """With the first version: runbooks due 10 March (D1 + 8), bronze-platform due D3 with
    a 1-day reminder. Payments hears about both on D1; on D2 it is reminded of runbooks
    7 days before and of bronze-platform 1 day before, once."""
    inbox, hooks = channels
    first_due = "2026-03-10"
    created = [f"[readiness] New initiative for {PAYMENTS}: {name}" for name in (BRONZE, RUNBOOKS)]
    report = run(first_version_home, D1)
    assert [s for _, _, s in received(inbox, hooks) if "Reminder" in s] == []
    assert sorted(s for c, r, s in received(inbox, hooks) if r == "payments") == created
    assert not report.failed and len(report.sent) == 8  # and the owner's two digests

    inbox.mails.clear()
    hooks.server.clear_log()
    report = run(first_version_home, D2)
    seven = f"[readiness] Reminder: {RUNBOOKS} is due in 7 days ({first_due})"
    one = f"[readiness] Reminder: {BRONZE} is due tomorrow (2026-03-04)"
    owner = f"[readiness] {RUNBOOKS}: 50 % done, behind the straight line to the due date"
    team_mail = "alice@example.com,bob@example.com"
    assert received(inbox, hooks) == sorted(
        [
            ("email", team_mail, seven),
            ("email", team_mail, one),
            ("email", "tina.tpm@example.com", owner),
            ("slack", "payments", seven),
            ("slack", "payments", one),
            ("slack", "tina", owner),
        ]
    )
    (mail,) = [m for m in inbox.mails if m.subject == seven]
    assert f"Reminder for {PAYMENTS}: {RUNBOOKS} is due {first_due} (7 days left)." in mail.body
    assert "Still to do (2 entities):" in mail.body
    assert "• component:default/pay-worker" in mail.body
    assert "• component:default/ledger" in mail.body
    # the team's daily digest of D2 gave way to the reminder, and is recorded so
    assert sorted(m.key for m in report.superseded) == [
        f"runbooks/digest-{D2}/{PAYMENTS}/{channel}" for channel in ("email", "slack")
    ]

    # D3: both reminders were sent already (the 1-day one of bronze-platform applies on its
    # due day too): none again
    inbox.mails.clear()
    hooks.server.clear_log()
    run(first_version_home, D3)
    assert [s for _, _, s in received(inbox, hooks) if "Reminder" in s] == []


def outbox(settings: Settings, where: str = "true") -> list[tuple]:
    connection = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        return connection.execute(
            f"select channel, recipient_ref, status, attempts, last_error "
            f"from notifications.outbox where {where} order by all"
        ).fetchall()
    finally:
        connection.close()


def test_a_receiver_down_for_a_run_gets_its_messages_on_the_next(home, channels):
    inbox, hooks = channels
    hooks.stop()  # the webhook receiver is down: connection refused
    try:
        report = run(home, D3)
    finally:
        hooks.start()
    assert len(report.failed) == 4 and len(report.sent) == 4  # the emails still went
    failed = outbox(home, "status = 'failed'")
    port = hooks.server.port
    assert {(channel, attempts) for channel, _, _, attempts, _ in failed} == {("slack", 1)}
    for _, recipient, _, _, error in failed:
        assert error == (
            f"slack to {recipient}: cannot reach the webhook at 127.0.0.1:{port}: "
            "connection refused"
        )
    failed_subjects = sorted(d.message.subject for d in report.failed)

    report = run(home, D3)  # the receiver is back: the four are delivered, nothing else
    assert sorted(d.message.subject for d in report.sent) == failed_subjects
    assert {d.attempt for d in report.sent} == {2}
    assert sorted(p.text.splitlines()[0].strip("*") for p in hooks.posts) == failed_subjects
    assert len(inbox.mails) == 4
    assert {status for _, _, status, _, _ in outbox(home, "status <> 'superseded'")} == {"sent"}

    inbox.stop()  # now the SMTP server is down for a run
    try:
        report = run(home, D4)
    finally:
        inbox.start()
    assert {d.message.channel for d in report.failed} == {"email"} and len(report.failed) == 6
    assert all(
        f"cannot use SMTP server 127.0.0.1:{inbox.port}: connection refused" in d.error
        for d in report.failed
    )
    assert len(report.sent) == 6
    report = run(home, D4)
    assert {d.message.channel for d in report.deliveries} == {"email"}
    assert len(report.sent) == 6 and len(inbox.mails) == 10


def test_dry_run_prints_what_would_be_sent_and_sends_and_writes_nothing(home, channels):
    inbox, hooks = channels
    digest = hashlib.sha256(home.warehouse_path.read_bytes()).hexdigest()
    result = CliRunner().invoke(
        notify_command, ["--home", str(home.home), "--dry-run", "--date", str(D3)]
    )
    assert result.exit_code == 0, result.output
    assert f"=== slack to {PAYMENTS} [payments]" in result.output
    assert f"=== email to {PAYMENTS} [alice@example.com, bob@example.com]" in result.output
    assert f"subject: [readiness] New initiative for {PAYMENTS}: {RUNBOOKS}" in result.output
    assert "• component:default/ledger" in result.output
    assert (
        "dry run, nothing written or sent: 2026-03-04: 16 message(s) due, 8 new; would send 8, 8 superseded"
        in (result.output)
    )
    assert WEBHOOK_TOKEN not in result.output
    assert received(inbox, hooks) == []
    assert hashlib.sha256(home.warehouse_path.read_bytes()).hexdigest() == digest


def test_a_dry_run_shows_what_a_channel_not_configured_would_carry(home, channels, monkeypatch):
    inbox, hooks = channels
    monkeypatch.delenv("NOTIFICATIONS__SLACK__WEBHOOKS")
    result = CliRunner().invoke(
        notify_command, ["--home", str(home.home), "--dry-run", "--date", str(D3)]
    )
    assert result.exit_code == 0, result.output
    assert "slack not configured, so a run sends nothing on it: no webhook configured" in (
        result.output
    )
    assert (
        f"=== slack to {PAYMENTS} [(no webhook configured)] "
        "(slack not configured: not sent, not queued)" in result.output
    )
    assert result.output.count("(slack not configured: not sent, not queued)") == 4
    assert (
        "2026-03-04: 8 message(s) due, 4 new; would send 4, 4 superseded; "
        "4 more once slack is configured" in result.output
    )
    assert received(inbox, hooks) == [] and outbox(home) == []


def test_the_dagster_step_warns_with_the_channel_and_sends_the_rest(home, channels):
    inbox, hooks = channels
    hooks.failing.add("platform")
    job = build_definitions(home).resolve_job_def(NOTIFY_JOB)
    result = job.execute_in_process(
        run_config=notify_run_config(D4), instance=dagster_instance(home), raise_on_error=False
    )
    assert result.success  # a failed delivery warns; it does not fail the run
    (check,) = result.get_asset_check_evaluations()
    assert check.check_name == CHECK_NAME and not check.passed
    assert check.severity.value == "WARN"
    port = hooks.server.port
    error = f"slack to {PLATFORM}: webhook at 127.0.0.1:{port} answered HTTP 500: internal_error"
    assert check.metadata["failed"].value == [error, error]  # the two escalations
    assert check.description == f"{error}; {error}"
    assert len(hooks.posts) == 6 and len(inbox.mails) == 8  # everything else was delivered

    # `readiness notify` retries the two escalations once the receiver recovers
    hooks.failing.clear()
    cli = CliRunner().invoke(notify_command, ["--home", str(home.home)])
    assert cli.exit_code == 0, cli.output
    assert cli.output.count(f"sent    slack {PLATFORM}: [readiness] Overdue") == 2
    assert "sent 2, failed 0" in cli.output

    # no secret in the warehouse, the Dagster run storage or logs
    secrets = (WEBHOOK_TOKEN.encode(), SMTP_PASSWORD.encode())
    for path in [home.warehouse_path, *Path(home.dagster_home).rglob("*")]:
        if path.is_file():
            data = path.read_bytes()
            assert not any(secret in data for secret in secrets), path
