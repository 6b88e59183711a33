"""`readiness run` exits as docs/operations.md says, and says why without a stack trace.

0 published; 1 nothing published; 2 the command line is wrong, nothing ran; 3 published,
but a source failed to load or a rule could not be evaluated; 4 published, but a step
after the publish (the notifications) failed. Each is produced by a real run of the
command line on the hand-written scenario, in one home, day after day, with `--quiet`
(which must hide progress, never the reason).

A rule that cannot be evaluated: validation is meant to let through only conditions the
warehouse can evaluate on any data, so the test stands in for the case it missed: the
compiled SQL of one loaded rule is replaced in the working warehouse by SQL that
overflows on this data (dbt reads rules as loaded, first load per definition).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys

import duckdb
import pytest

from orchestration.serving import free_port
from readiness.settings import Settings
from readiness.warehouse import connect_published
from tests.conftest import BASIC, SCENARIO_DAY, copy_manifest, published_days
from tests.pausing import READINESS

pytestmark = pytest.mark.slow
NEXT_DAY = SCENARIO_DAY + dt.timedelta(days=1)
LAST_DAY = SCENARIO_DAY + dt.timedelta(days=2)
# SQL the database cannot evaluate on this data: the product overflows BIGINT
OVERFLOWING_SQL = "(f.dependency_count + 2) * 9223372036854775807 > 1"
BROKEN_RULE = "runbook"
NO_STACK = ("Traceback", "Stack Trace", "dagster._core", "DagsterDbtCliRuntimeError")


@pytest.fixture(scope="module")
def scenario(tmp_path_factory, manifest_dir):
    root = tmp_path_factory.mktemp("exit-codes")
    shutil.copytree(BASIC, root / "inputs")
    scorecard = root / "inputs" / "scorecards" / "scenario.yml"
    settings = Settings(home=root / "home")
    copy_manifest(manifest_dir, settings)
    return root, settings, scorecard


def run(root, settings, day: dt.date, *extra: str, env: dict | None = None):
    inputs = root / "inputs"
    args = ["run", "--home", str(settings.home), "--date", day.isoformat(), "--quiet"]
    args += ["--scorecards", str(inputs / "scorecards"), *extra]
    return subprocess.run(
        [READINESS, *args],
        env={**os.environ, "DAGSTER_HOME": str(root / "dagster-cli"), **(env or {})},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def with_catalog(root) -> list[str]:
    inputs = root / "inputs"
    return ["--catalog", str(inputs / "catalog"), "--custom-data", str(inputs / "custom_data")]


def test_2_no_catalog_nothing_runs(scenario):
    root, settings, _ = scenario
    result = run(root, settings, SCENARIO_DAY)
    assert result.returncode == 2, result.stderr
    assert "no catalog configured: give --catalog DIR" in result.stderr
    assert not settings.warehouse_path.exists()  # nothing was built


def test_0_published(scenario):
    root, settings, _ = scenario
    result = run(root, settings, SCENARIO_DAY, *with_catalog(root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert published_days(settings) == [SCENARIO_DAY]


def test_3_a_failed_source_and_a_rule_the_database_cannot_evaluate(scenario):
    root, settings, scorecard = scenario
    connection = duckdb.connect(str(settings.warehouse_path))
    try:
        connection.execute(
            "update raw_scorecards.rules set condition_sql_duckdb = ? where rule_id = ?",
            [OVERFLOWING_SQL, BROKEN_RULE],
        )
    finally:
        connection.close()
    okta = {
        "SOURCES__OKTA__BASE_URL": f"http://127.0.0.1:{free_port()}",  # nothing listens
        "SOURCES__OKTA__API_TOKEN": "exit-code-test-token",
    }
    result = run(root, settings, NEXT_DAY, *with_catalog(root), env=okta)
    output = result.stdout + result.stderr
    assert result.returncode == 3, output
    assert "warning: source okta failed to load" in output
    line = next(
        n for n, text in enumerate(scorecard.read_text().splitlines(), 1)
        if text.strip() == f"- id: {BROKEN_RULE}"
    )  # fmt: skip
    assert (
        f"{scorecard}:{line}: rule '{BROKEN_RULE}': the database cannot evaluate its condition"
    ) in output
    assert "Overflow in multiplication of INT64" in output
    assert not any(marker in output for marker in NO_STACK), output
    assert published_days(settings) == [SCENARIO_DAY, NEXT_DAY]
    connection = connect_published(settings)
    try:
        outcomes = connection.execute(
            "select rule_id, outcome, min(reason) from marts.fct_rule_outcomes "
            "where evaluated_on = ? group by all order by all",
            [NEXT_DAY],
        ).fetchall()
    finally:
        connection.close()
    # the rule is unknown with the database's error, for its rule only
    broken = [row for row in outcomes if row[0] == BROKEN_RULE]
    assert [row[1] for row in broken] == ["unknown"]
    assert broken[0][2].startswith("the database could not evaluate the condition: Out of Range")
    assert {"pass", "fail"} <= {row[1] for row in outcomes if row[0] != BROKEN_RULE}


def test_1_nothing_published_when_the_warehouse_is_held(scenario):
    root, settings, _ = scenario
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
         "print('held', flush=True); sys.stdin.read()", str(settings.warehouse_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        result = run(root, settings, LAST_DAY, *with_catalog(root))
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "the published warehouse was left as it was" in output
    assert not any(marker in output for marker in NO_STACK), output
    assert published_days(settings) == [SCENARIO_DAY, NEXT_DAY]


def test_4_published_but_the_notifications_failed(scenario):
    root, settings, _ = scenario
    bad = {"NOTIFICATIONS__EMAIL__SMTP_PORT": "not-a-port"}
    result = run(root, settings, LAST_DAY, *with_catalog(root), env=bad)
    output = result.stdout + result.stderr
    assert result.returncode == 4, output
    assert "the evaluation was published" in output
    assert "notifications: invalid notification settings" in output
    assert not any(marker in output for marker in NO_STACK), output
    assert published_days(settings) == [SCENARIO_DAY, NEXT_DAY, LAST_DAY]
    # the working warehouse is free again: nothing was left holding it
    duckdb.connect(str(settings.warehouse_path)).close()
