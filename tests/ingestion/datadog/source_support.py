"""Helpers shared by the datadog, prometheus and coverage source tests: a simulated company,
dlt runs into a DuckDB file, dbt staging builds, and fast retries.

Kept in one module (imported by the three test folders) so the three sources are tested
the same way.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import dlt
import duckdb
import pytest

from simulator import SimulatorServers, generate_company
from simulator.model import Company

REPO = Path(__file__).resolve().parents[3]
REAL = REPO / "tests" / "fixtures" / "real"
TODAY = dt.date(2026, 11, 26)
PAST_DAY = TODAY - dt.timedelta(days=40)
SERVICES = 40


@pytest.fixture(scope="session")
def company() -> Company:
    return generate_company(seed=7, services=SERVICES, today=TODAY)


@pytest.fixture(scope="session")
def servers(company: Company) -> Iterator[SimulatorServers]:
    with SimulatorServers(company) as running:
        yield running


@pytest.fixture(autouse=True)
def _clean_servers(request: pytest.FixtureRequest) -> Iterator[None]:
    """No fault or count leaks from one test into the next."""
    if "servers" in request.fixturenames:
        request.getfixturevalue("servers").clear_faults()
        request.getfixturevalue("servers").reset_stats()
    yield
    if "servers" in request.fixturenames:
        request.getfixturevalue("servers").clear_faults()


def fast_retries(monkeypatch: pytest.MonkeyPatch, settings: ModuleType) -> None:
    """Retries as in production, but with short backoff so fault tests stay fast."""
    monkeypatch.setattr(settings, "BACKOFF_FACTOR", 0.05)
    monkeypatch.setattr(settings, "MAX_DELAY", 2.0)


def pipeline(tmp_path: Path, source_name: str, db: Path | None = None) -> dlt.Pipeline:
    """A pipeline like the orchestrator's: dataset ``raw_<source>`` in one DuckDB file."""
    return dlt.pipeline(
        pipeline_name=f"test_{source_name}",
        pipelines_dir=str(tmp_path / "dlt"),
        destination=dlt.destinations.duckdb(str(db or tmp_path / "warehouse.duckdb")),
        dataset_name=f"raw_{source_name}",
    )


def query(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def table_exists(db: Path, schema: str, table: str) -> bool:
    rows = query(
        db,
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    )
    return rows[0][0] > 0


def columns(db: Path, schema: str, table: str) -> list[str]:
    rows = query(
        db,
        "select column_name from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    )
    return [r[0] for r in rows]


def dbt_build(db: Path, tmp_path: Path, select: str) -> subprocess.CompletedProcess[str]:
    """``dbt build --select …`` against ``db``, with target and logs in ``tmp_path``."""
    env = {
        **os.environ,
        "READINESS_WAREHOUSE": str(db),
        "READINESS_DBT_TARGET": "duckdb",
        "DBT_TARGET_PATH": str(tmp_path / "dbt_target"),
        "DBT_LOG_PATH": str(tmp_path / "dbt_logs"),
        "DO_NOT_TRACK": "1",
    }
    dbt = Path(sys.executable).parent / "dbt"
    result = subprocess.run(
        [
            str(dbt),
            "build",
            "--select",
            *select.split(),
            "--project-dir",
            str(REPO / "dbt_project"),
            "--profiles-dir",
            str(REPO / "dbt_project"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return result


def requests_by_endpoint(servers: SimulatorServers, source: str) -> dict[str, int]:
    return {endpoint: n for (src, endpoint), n in servers.stats().items() if src == source}
