"""The `readiness` command line, run as a user runs it (the installed console script)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from readiness.settings import REPO_ROOT

READINESS = str(Path(sys.executable).with_name("readiness"))


def readiness(
    *args: str, cwd: Path = REPO_ROOT, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [READINESS, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**(os.environ if env is None else env), "DAGSTER_DISABLE_TELEMETRY": "1"},
    )


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["run"],
        ["validate"],
        ["serve"],
        ["demo"],
        ["dev"],
        ["simulator"],
        ["report"],
        ["report", "verify"],
        ["gate"],
        ["notify"],
    ],
)
def test_every_command_has_help(command):
    result = readiness(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout


def test_validate_the_shipped_standards():
    result = readiness("validate")
    assert result.returncode == 0, result.stderr
    assert "ok  production-readiness: 16 rules, levels bronze < silver < gold" in result.stdout
    assert "ok  initiative tier-1-bronze: level bronze on production-readiness" in result.stdout
    assert "ok  2 initiative(s)" in result.stdout


def test_validate_reports_file_line_and_rule(tmp_path):
    shutil.copy(REPO_ROOT / "scorecards" / "production-readiness.yml", tmp_path / "pr.yml")
    text = (
        (tmp_path / "pr.yml")
        .read_text()
        .replace("condition: has_logs_link", "condition: has_logs_link; drop table x")
    )
    (tmp_path / "pr.yml").write_text(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "drop table" in row)
    result = readiness("validate", "--scorecards", str(tmp_path))
    assert result.returncode == 1
    assert f"pr.yml:{line}: rule 'logs-linked': condition: ';' is not allowed" in result.stderr


def test_validate_checks_exemption_entities_against_the_catalog(tmp_path):
    shutil.copytree(REPO_ROOT / "tests" / "scenarios" / "basic" / "scorecards", tmp_path / "sc")
    exemptions = tmp_path / "sc" / "exemptions" / "scenario.yml"
    exemptions.write_text(exemptions.read_text().replace("default/ledger", "default/ledgr"))
    catalog = REPO_ROOT / "tests" / "scenarios" / "basic" / "catalog"
    result = readiness("validate", "--scorecards", str(tmp_path / "sc"), "--catalog", str(catalog))
    assert result.returncode == 1
    assert "unknown entity 'component:default/ledgr' (not in the catalog)" in result.stderr


def test_serve_without_a_published_warehouse_says_what_to_do(tmp_path):
    result = readiness("serve", "--home", str(tmp_path))
    assert result.returncode == 1
    assert "no published warehouse" in result.stderr and "readiness run" in result.stderr


def test_notify_without_a_warehouse_says_what_to_do(tmp_path):
    result = readiness("notify", "--dry-run", "--home", str(tmp_path))
    assert result.returncode == 1
    assert "no working warehouse" in result.stderr and "readiness run" in result.stderr


def test_run_refuses_a_date_and_a_range_together(tmp_path):
    result = readiness(
        "run", "--home", str(tmp_path), "--date", "2026-01-02", "--from", "2026-01-01"
    )
    assert result.returncode == 2  # a usage error: nothing ran (docs/operations.md)
    assert "either --date or --from/--to" in result.stderr


@pytest.mark.slow
def test_demo_without_serving_exits_zero_with_a_summary(tmp_path):
    from tests.initiatives.receivers import WebhookReceiver

    # a webhook configured on this machine: the demo's simulated company never posts to it
    hooks = WebhookReceiver(hooks=("default",))
    hooks.start()
    try:
        result = readiness(
            *("demo", "--home", str(tmp_path / "home"), "--services", "30", "--days", "2"),
            "--no-serve",
            env={**os.environ, "NOTIFICATIONS__SLACK__DEFAULT_WEBHOOK": hooks.url("default")},
        )
        assert hooks.server.log == []
    finally:
        hooks.stop()
    assert result.returncode == 0, result.stderr
    assert "simulated company 'acme' (seed 7): 30 services" in result.stdout
    assert "requests to the simulated APIs: artifacts" in result.stdout
    assert "production-readiness: 30 entities, average score" in result.stdout
    assert (tmp_path / "home" / "published.duckdb").exists()
    assert "dbt_build done" in result.stderr  # progress lines
    assert "initiatives re-dated to the demo's history: observable-tier-1-2 " in result.stdout

    # the demo configures no channel: a dry run shows what they would carry, a run sends
    # nothing and says why, and neither fails
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTIFICATIONS__")}
    home = str(tmp_path / "home")
    dry = readiness("notify", "--dry-run", "--home", home, env=env)
    assert dry.returncode == 0, dry.stderr
    assert "slack not configured, so a run sends nothing on it" in dry.stdout
    assert "=== email to group:default/" in dry.stdout
    assert "(email not configured: not sent, not queued)" in dry.stdout
    assert "would send 0;" in dry.stdout and "more once email and slack are configured" in (
        dry.stdout
    )
    sent = readiness("notify", "--home", home, env=env)
    assert sent.returncode == 0, sent.stderr
    assert "sent 0, failed 0" in sent.stdout
    assert "email not configured, nothing sent on it" in sent.stderr
