"""Kill-safety: a real `readiness run` killed (SIGKILL to its process group) at known
points loses nothing and leaves nothing half-written; readers never fail while a run
publishes.

One home, the small company of tests/initiatives (notifications to a real SMTP server
and a real webhook receiver), runs in order:

1. D1 runs to the end.
2. D2 is killed during a dlt load, during dbt (outcomes committed, evaluation record
   not), during the publish (the new copy written, not renamed) and during the
   notifications (one message delivered, its delivery not recorded). After each kill
   the published warehouse opens and holds what it held before the killed step.
3. D3 runs to the end while 20 readers (dashboard queries, `readiness report`,
   `readiness gate`) read the published warehouse around its publish: none fails.
Then: no mart holds a duplicate key, every evaluated day has its evaluation record, and
no message was sent twice.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import threading
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from dashboards import queries
from readiness.settings import Settings
from readiness.warehouse import connect_published, published_version
from tests.conftest import copy_manifest, published_days
from tests.initiatives.company import D1, D2, D3, write_catalog, write_standards
from tests.initiatives.receivers import SmtpInbox, WebhookReceiver
from tests.pausing import READINESS, PausedRun

pytestmark = pytest.mark.slow
SCORECARD = "ops"
THREAD_READERS, REPORT_READERS, GATE_READERS = 14, 3, 3


class World:
    def __init__(self, root: Path, manifest_dir: Path):
        self.root = root
        self.settings = Settings(home=root / "home")
        copy_manifest(manifest_dir, self.settings)
        self.catalog = write_catalog(root / "catalog")
        self.scorecards = write_standards(root / "scorecards")
        self.smtp, self.webhooks = SmtpInbox(), WebhookReceiver()
        self.runs = 0

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "READINESS_CATALOG": str(self.catalog),
            "DAGSTER_HOME": str(self.root / "dagster-cli"),
            "DAGSTER_DISABLE_TELEMETRY": "1",
            **self.smtp.env(),
            **self.webhooks.env(),
        }

    def run(self, day: dt.date, point: str | None) -> PausedRun:
        self.runs += 1
        args = ["run", "--home", str(self.settings.home), "--scorecards", str(self.scorecards)]
        args += ["--date", day.isoformat(), "--quiet"]
        return PausedRun(args, self.env(), point, self.root / f"run-{self.runs}")

    def kill_at(self, day: dt.date, point: str) -> str:
        run = self.run(day, point)
        reached = run.wait_reached()
        run.kill()
        return reached

    def published_days(self) -> list[dt.date]:
        return published_days(self.settings)

    def working(self, sql: str) -> list[tuple]:
        connection = duckdb.connect(str(self.settings.warehouse_path), read_only=True)
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()

    def received(self) -> list[str]:
        """Every message the receivers got: the email's key, the webhook post's text."""
        return [mail.message["X-Readiness-Key"] for mail in self.smtp.mails] + [
            f"{post.hook}: {post.text}" for post in self.webhooks.posts
        ]


@pytest.fixture(scope="module")
def world(tmp_path_factory, manifest_dir):
    world = World(tmp_path_factory.mktemp("kill"), manifest_dir)
    world.smtp.start()
    world.webhooks.start()
    yield world
    world.smtp.stop()
    world.webhooks.stop()


def test_a_first_day_runs_to_the_end(world):
    run = world.run(D1, None)
    assert run.wait() == 0, run.output()
    assert world.published_days() == [D1]
    assert world.received(), "D1 makes messages due (the initiatives start)"


def test_killed_during_a_dlt_load(world):
    reached = world.kill_at(D2, "dlt-load")
    assert reached.startswith("dlt-load ")
    assert world.published_days() == [D1]
    # the working warehouse still opens; the killed run evaluated nothing
    assert world.working("select max(evaluated_on) from marts.fct_rule_outcomes") == [(D1,)]


def test_killed_between_the_outcomes_and_their_evaluation_record(world):
    world.kill_at(D2, "dbt:after-outcomes")
    assert world.published_days() == [D1]
    # the gap the issue found: outcomes of D2 committed, no evaluation record of D2
    assert world.working(
        f"select count(*) > 0 from marts.fct_rule_outcomes where evaluated_on = '{D2}'"
    ) == [(True,)]
    assert world.working(
        f"select count(*) from marts.fct_evaluations where evaluated_on = '{D2}'"
    ) == [(0,)]


def test_killed_during_the_publish(world):
    world.kill_at(D2, "publish:copied")
    assert world.published_days() == [D1]
    leftovers = list(world.settings.home.glob(".published.duckdb.*.tmp"))
    assert len(leftovers) == 1, leftovers
    # this run detected the gap and evaluated D2 again: its record matches its outcomes
    assert world.working(unrecorded_outcome_days()) == []
    assert world.working(
        f"select count(*) from marts.fct_evaluations where evaluated_on = '{D2}'"
    ) == [(1,)]


def test_killed_during_the_notifications(world):
    before = len(world.received())
    world.kill_at(D2, "notify:sent")
    # the publish came before the notifications: D2 is out, the stale copy is gone
    assert world.published_days() == [D1, D2]
    assert list(world.settings.home.glob(".published.duckdb.*.tmp")) == []
    assert len(world.received()) == before + 1  # held right after one delivery
    assert world.working("select count(*) from notifications.outbox where status = 'sending'") == [
        (1,)
    ]


def test_the_next_run_completes_while_20_readers_read(world):
    old = published_version(world.settings).key
    run = world.run(D3, "publish:copied")
    run.wait_reached()
    readers = Readers(world, old)
    readers.start()
    readers.holding.wait(600)  # every dashboard reader holds a connection to the old file
    run.resume()  # the commands start around the publish, the dashboards read through it
    assert run.wait() == 0, run.output()
    readers.stop()
    assert readers.errors == [], readers.errors
    assert sorted(readers.finished) == sorted(readers.names)
    assert len(readers.names) == 20
    assert published_version(world.settings).key != old
    assert world.published_days() == [D1, D2, D3]
    # a connection opened before the publish kept reading the old file to its end
    assert readers.held_days == {D2}
    # each dashboard reader's last read, on a new connection, saw the new day; the
    # commands saw the old day or the new one, never anything else
    assert readers.dashboard_last_days == {D3}
    assert readers.command_days <= {D2, D3}


def test_no_duplicate_key_in_any_mart(world, manifest_dir):
    keys = mart_keys(manifest_dir / "manifest.json")
    assert {"fct_rule_outcomes", "fct_entity_scores", "fct_evaluations"} <= set(keys)
    connection = connect_published(world.settings)
    try:
        for model, columns in sorted(keys.items()):
            for key in columns:
                listed = ", ".join(key)
                duplicates = connection.execute(
                    f"select {listed}, count(*) from marts.{model} "
                    f"group by {listed} having count(*) > 1 limit 3"
                ).fetchall()
                assert duplicates == [], (model, key, duplicates)
    finally:
        connection.close()


def test_every_day_has_its_evaluation_record(world):
    assert world.working(unrecorded_outcome_days()) == []
    assert world.working(
        "select evaluated_on, count(*) from marts.fct_evaluations group by 1 order by 1"
    ) == [(D1, 1), (D2, 1), (D3, 1)]


def test_no_message_was_sent_twice(world):
    received = world.received()
    assert [key for key, n in Counter(received).items() if n > 1] == []
    statuses = dict(world.working("select status, count(*) from notifications.outbox group by 1"))
    # the message being delivered when the run was killed is not sent again
    assert statuses.get("interrupted") == 1
    assert statuses.get("sending") is None
    assert statuses["sent"] + statuses["interrupted"] == len(received)


def unrecorded_outcome_days() -> str:
    return """
        select distinct outcomes.evaluated_on from marts.fct_rule_outcomes as outcomes
        where not exists (
            select 1 from marts.fct_evaluations as evaluations
            where evaluations.evaluated_on = outcomes.evaluated_on
                and evaluations.invocation_id = outcomes.invocation_id
        )
    """


def mart_keys(manifest: Path) -> dict[str, list[tuple[str, ...]]]:
    """Every key the dbt project tests as unique on a mart (unique, unique_combination)."""
    nodes = json.loads(manifest.read_text())["nodes"]
    keys: dict[str, list[tuple[str, ...]]] = {}
    for node in nodes.values():
        meta = node.get("test_metadata") or {}
        model_id = node.get("attached_node") or ""
        model = nodes.get(model_id, {})
        if node["resource_type"] != "test" or model.get("schema") != "marts":
            continue
        kwargs = meta.get("kwargs", {})
        if meta.get("name") == "unique":
            key = (kwargs["column_name"],)
        elif meta.get("name") == "unique_combination":
            key = tuple(kwargs["columns"])
        else:
            continue
        keys.setdefault(model["alias"] or model["name"], []).append(key)
    return keys


class Readers:
    """20 readers of the published warehouse around a publish: 14 dashboard readers in
    threads (each holds a connection opened before the publish and reads on it across
    the publish, while opening new ones until it sees the new file), and 3 `readiness
    report` and 3 `readiness gate` commands started as the publish is let go."""

    def __init__(self, world: World, old_version: str):
        self.world = world
        self.old_version = old_version
        self.errors: list[str] = []
        self.finished: list[str] = []
        self.held_days: set[dt.date] = set()
        self.dashboard_last_days: set[dt.date] = set()
        self.command_days: set[dt.date] = set()
        self.holding = threading.Barrier(THREAD_READERS + 1)
        self.lock = threading.Lock()
        self.reports = 0
        readers = [(f"dashboard-{n}", self._dashboard) for n in range(THREAD_READERS)]
        readers += [(f"report-{n}", self._report) for n in range(REPORT_READERS)]
        readers += [(f"gate-{n}", self._gate) for n in range(GATE_READERS)]
        self.names = [name for name, _ in readers]
        self.threads = [threading.Thread(target=self._guard, args=reader) for reader in readers]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        for thread in self.threads:
            thread.join(600)

    def _guard(self, name: str, read) -> None:
        try:
            read()
        except Exception as exc:  # noqa: BLE001 - a reader's failure is what is tested
            with self.lock:
                self.errors.append(f"{name}: {type(exc).__name__}: {exc}")
            if name.startswith("dashboard"):
                self.holding.abort()
            return
        with self.lock:
            self.finished.append(name)

    @staticmethod
    def _read(connection) -> dt.date:
        _, last, _ = connection.execute(queries.EVALUATED_RANGE, [SCORECARD]).fetchone()
        connection.execute(queries.ORG_SUMMARY, [SCORECARD, last]).fetchall()
        connection.execute(queries.SCORECARDS).fetchall()
        return last

    def _dashboard(self) -> None:
        held = connect_published(self.world.settings)
        try:
            first = self._read(held)
            self.holding.wait(600)
            while True:  # new connections until one opens the new file
                fresh = connect_published(self.world.settings)
                try:
                    day = self._read(fresh)
                finally:
                    fresh.close()
                if published_version(self.world.settings).key != self.old_version and day == D3:
                    break
                if day not in (D2, D3):
                    raise AssertionError(f"read day {day}")
            again = self._read(held)  # the held connection still reads the old file
        finally:
            held.close()
        with self.lock:
            self.held_days.update({first, again})
            self.dashboard_last_days.add(day)

    def _command(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [READINESS, *args, "--home", str(self.world.settings.home)],
            env=self.world.env(),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    def _report(self) -> None:
        with self.lock:
            self.reports += 1
            out = self.world.root / f"report-{self.reports}"
        result = self._command(
            "report", "--scorecard", SCORECARD, "--out", str(out), "--format", "json,csv"
        )
        if result.returncode != 0:
            raise AssertionError(f"report exited {result.returncode}: {result.stderr}")
        days = json.loads((out / "manifest.json").read_text())["days"]
        with self.lock:
            self.command_days.add(dt.date.fromisoformat(days[-1]))

    def _gate(self) -> None:
        result = self._command(
            "gate", "--entity", "component:default/pay-api", "--scorecard", SCORECARD,
            "--level", "bronze", "--format", "json",
        )  # fmt: skip
        if result.returncode != 0:
            raise AssertionError(f"gate exited {result.returncode}: {result.stdout}")
        with self.lock:
            self.command_days.add(dt.date.fromisoformat(json.loads(result.stdout)["evaluated_on"]))
