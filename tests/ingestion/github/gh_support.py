"""Helpers shared by the GitHub and GitHub-teams source tests."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import dlt
import duckdb

from simulator import SimulatorServers

TODAY = dt.date(2026, 11, 26)
PAST = TODAY - dt.timedelta(days=40)
# The oldest day of the demo's 90-day history: its 7-day commit window starts 95 days ago.
FAR_PAST = TODAY - dt.timedelta(days=88)
REAL = Path(__file__).resolve().parents[2] / "fixtures" / "real" / "github"
# Retries fast enough for tests: the simulator's rate-limit reset is 1 s.
FAST = {"max_attempts": 4, "backoff_factor": 0.05, "max_retry_delay": 1.5}


def real(relative: str) -> Any:
    """A recorded real GitHub exchange list (provenance in tests/fixtures/real/README.md)."""
    return json.loads((REAL / relative).read_text(encoding="utf-8"))


def pipeline(tmp_path: Path, name: str, dataset: str) -> dlt.Pipeline:
    return dlt.pipeline(
        pipeline_name=f"test_{name}",
        pipelines_dir=str(tmp_path / "dlt"),
        destination=dlt.destinations.duckdb(str(tmp_path / "warehouse.duckdb")),
        dataset_name=dataset,
    )


def github_kwargs(servers: SimulatorServers, **extra: Any) -> dict[str, Any]:
    return {
        "org": "acme",
        "base_url": servers.base_urls["github"],
        "token": servers.credentials["github"]["token"],
        "snapshot_on": TODAY,
        **FAST,
        **extra,
    }


def query(tmp_path: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        return con.sql(sql).fetchall()


def table_exists(tmp_path: Path, schema: str, table: str) -> bool:
    if not (tmp_path / "warehouse.duckdb").exists():
        return False
    rows = query(
        tmp_path,
        "select count(*) from information_schema.tables "
        f"where table_schema = '{schema}' and table_name = '{table}'",
    )
    return rows[0][0] == 1


def count(tmp_path: Path, schema: str, table: str) -> int:
    if not table_exists(tmp_path, schema, table):
        return 0
    return query(tmp_path, f"select count(*) from {schema}.{table}")[0][0]
