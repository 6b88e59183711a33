"""Reports and the gate read the published DuckDB file; on the PostgreSQL backend they say
so instead of reading a stale or missing file."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from orchestration.reports.command import gate, report
from readiness.gate import GateStatus, check_gate
from readiness.reports import ReportError, ReportFilters, build_report
from readiness.settings import Settings


def test_gate_on_postgres_cannot_tell(tmp_path):
    result = check_gate(Settings(home=tmp_path, backend="postgres"), "ledger", "x", "bronze")
    assert result.status is GateStatus.CANNOT_TELL and result.exit_code == 2
    assert "postgres backend" in result.message


def test_report_on_postgres_is_refused(tmp_path):
    with pytest.raises(ReportError, match="with the postgres backend, query its marts schema"):
        build_report(Settings(home=tmp_path, backend="postgres"), ReportFilters(scorecard="x"))


def test_commands_follow_the_backend_from_the_environment(tmp_path):
    env = {"READINESS_WAREHOUSE_BACKEND": "postgres"}
    runner = CliRunner()
    answer = runner.invoke(
        gate,
        ["--home", str(tmp_path), "--entity", "a", "--scorecard", "x", "--level", "gold"],
        env=env,
    )
    assert answer.exit_code == 2 and "postgres backend" in answer.stderr
    written = runner.invoke(
        report, ["--home", str(tmp_path), "--scorecard", "x", "--out", str(tmp_path / "o")], env=env
    )
    assert written.exit_code == 1 and "postgres backend" in written.stderr
    assert not (tmp_path / "o").exists()
