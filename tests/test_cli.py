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
    *args: str, cwd: Path = REPO_ROOT, timeout: float = 300
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [READINESS, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "DAGSTER_DISABLE_TELEMETRY": "1"},
    )


@pytest.mark.parametrize(
    "command",
    [
        [], ["run"], ["validate"], ["serve"], ["demo"], ["dev"], ["simulator"],
        ["report"], ["report", "verify"], ["gate"],
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


def test_run_refuses_a_date_and_a_range_together(tmp_path):
    result = readiness(
        "run", "--home", str(tmp_path), "--date", "2026-01-02", "--from", "2026-01-01"
    )
    assert result.returncode == 1
    assert "either --date or --from/--to" in result.stderr


@pytest.mark.slow
def test_demo_without_serving_exits_zero_with_a_summary(tmp_path):
    result = readiness(
        "demo", "--home", str(tmp_path / "home"), "--services", "30", "--days", "2", "--no-serve"
    )
    assert result.returncode == 0, result.stderr
    assert "simulated company 'acme' (seed 7): 30 services" in result.stdout
    assert "requests to the simulated APIs: artifacts" in result.stdout
    assert "production-readiness: 30 entities, average score" in result.stdout
    assert (tmp_path / "home" / "published.duckdb").exists()
    assert "dbt_build done" in result.stderr  # progress lines
