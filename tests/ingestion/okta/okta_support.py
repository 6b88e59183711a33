"""Helpers shared by the Okta source tests (a uniquely named module, unlike ``conftest``)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import dlt
import duckdb
import requests

from ingestion.okta import okta_source
from simulator import SimulatorServers

REPO = Path(__file__).resolve().parents[3]
REAL = REPO / "tests" / "fixtures" / "real" / "okta"
TODAY = dt.date(2026, 11, 26)
PAST = TODAY - dt.timedelta(days=30)
# Retries that keep fault tests fast (the simulator's rate-limit reset is 1 s).
FAST = {"max_attempts": 4, "backoff_factor": 0.05, "max_delay": 2.0}


def real(name: str) -> list[dict[str, Any]]:
    """A recorded real exchange list from ``tests/fixtures/real/okta`` (README there)."""
    return json.loads((REAL / name).read_text(encoding="utf-8"))


def recorded_response(exchange: dict[str, Any]) -> requests.Response:
    """A ``requests.Response`` rebuilt from a recorded exchange (status, headers, body)."""
    response = requests.Response()
    response.status_code = exchange["status"]
    response.headers.update(exchange["response_headers"])
    response._content = json.dumps(exchange["response_body"]).encode()
    response.url = exchange["url"]
    return response


def make_pipeline(tmp_path: Path, name: str = "okta") -> dlt.Pipeline:
    return dlt.pipeline(
        pipeline_name=f"test_{name}",
        pipelines_dir=str(tmp_path / "dlt"),
        destination=dlt.destinations.duckdb(str(tmp_path / "warehouse.duckdb")),
        dataset_name="raw_okta",
    )


def source(servers: SimulatorServers, **kwargs: Any):
    arguments = {
        "base_url": servers.base_urls["okta"],
        "api_token": servers.credentials["okta"]["token"],
        "snapshot_on": TODAY,
        **kwargs,
    }
    return okta_source(**arguments)


def requests_of(servers: SimulatorServers) -> dict[str, int]:
    return {endpoint: n for (src, endpoint), n in servers.stats().items() if src == "okta"}


def query(tmp_path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        return con.sql(sql).fetchall()


CURRENT = """
    select t.* from raw_okta.{table} as t
    join (
        select snapshot_on, max(_dlt_load_id) as load_id
        from raw_okta.snapshots group by snapshot_on
    ) as s on t.snapshot_on = s.snapshot_on and t._dlt_load_id = s.load_id
"""


def current(table: str) -> str:
    """SQL for the rows of the newest load of each snapshot day (what staging counts)."""
    return CURRENT.format(table=table)


def run_dbt(tmp_path: Path, select: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "READINESS_WAREHOUSE": str(tmp_path / "warehouse.duckdb"),
        "DBT_TARGET_PATH": str(tmp_path / "dbt_target"),
        "DBT_LOG_PATH": str(tmp_path / "dbt_logs"),
    }
    dbt = Path(sys.executable).with_name("dbt")  # the dbt of the venv running the tests
    return subprocess.run(
        [str(dbt), "build", "--select", select] + ["--profiles-dir", ".", "--project-dir", "."],
        cwd=REPO / "dbt_project",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
