"""The Datadog source under each simulated fault: transient ones are retried as the API
asks, persistent ones fail the run with a clear message and load nothing, and a re-run
after the fault clears loads the day once."""

from __future__ import annotations

from pathlib import Path

import pytest
from dlt.pipeline.exceptions import PipelineStepFailed

from ingestion.datadog import datadog_source, settings
from simulator import SimulatorServers
from simulator.model import Company
from tests.ingestion.datadog.source_support import (
    TODAY,
    fast_retries,
    pipeline,
    query,
    requests_by_endpoint,
    table_exists,
)


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_retries(monkeypatch, settings)


def run(servers: SimulatorServers, tmp_path: Path):
    credentials = servers.credentials["datadog"]
    source = datadog_source(
        base_url=servers.base_urls["datadog"],
        api_key=credentials["api_key"],
        app_key=credentials["application_key"],
        snapshot_on=TODAY,
    )
    return pipeline(tmp_path, "datadog").run(source)


def assert_day_loaded_once(db: Path, company: Company) -> None:
    day = TODAY.toordinal()
    monitors = len([m for m in company.monitors if m.exists_on(day)])
    slos = len([s for s in company.slos if s.created_day <= day])
    assert query(db, "select count(*), count(distinct monitor_id) from raw_datadog.monitors") == [
        (monitors, monitors)
    ]
    assert query(db, "select count(*) from raw_datadog.slos") == [(slos,)]
    assert query(db, "select count(*) from raw_datadog.snapshots") == [(1,)]
    assert query(
        db,
        "select count(*) = count(distinct slo_id || '/' || cast(day as varchar)) "
        "from raw_datadog.slo_history_daily",
    ) == [(True,)]


def fails_then_recovers(servers, company, tmp_path, kind: str, **params) -> str:
    """Run with a persistent fault (must fail, load nothing), clear it, re-run."""
    db = tmp_path / "warehouse.duckdb"
    servers.set_fault("datadog", kind, **params)
    with pytest.raises(PipelineStepFailed) as failure:
        run(servers, tmp_path)
    message = str(failure.value)
    assert "source datadog" in message
    credentials = servers.credentials["datadog"]
    assert credentials["api_key"] not in message
    assert credentials["application_key"] not in message
    assert not table_exists(db, "raw_datadog", "monitors")
    servers.clear_faults("datadog")
    run(servers, tmp_path)
    assert_day_loaded_once(db, company)
    return message


def test_rate_limit_waits_for_the_reset_header(servers, company, tmp_path):
    servers.set_fault("datadog", "rate_limit", count=2, reset_seconds=1)
    run(servers, tmp_path)
    assert_day_loaded_once(tmp_path / "warehouse.duckdb", company)
    # the two 429s were answered by waiting and asking again
    slos = len([s for s in company.slos if s.created_day <= TODAY.toordinal()])
    assert sum(requests_by_endpoint(servers, "datadog").values()) == 2 + slos + 2


def test_server_error_burst_is_retried(servers, company, tmp_path):
    servers.set_fault("datadog", "server_errors", count=3, status=503)
    run(servers, tmp_path)
    assert_day_loaded_once(tmp_path / "warehouse.duckdb", company)


def test_slow_responses_time_out_and_are_retried(servers, company, tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "TIMEOUT", 0.3)
    servers.set_fault("datadog", "slow", seconds=0.6, count=2)
    run(servers, tmp_path)
    assert_day_loaded_once(tmp_path / "warehouse.duckdb", company)
    slos = len([s for s in company.slos if s.created_day <= TODAY.toordinal()])
    assert sum(requests_by_endpoint(servers, "datadog").values()) == 2 + slos + 2


def test_malformed_json_is_fetched_again_then_fails_if_it_persists(servers, company, tmp_path):
    servers.set_fault("datadog", "malformed_json", count=1)
    run(servers, tmp_path / "transient")
    assert_day_loaded_once(tmp_path / "transient" / "warehouse.duckdb", company)

    message = fails_then_recovers(
        servers, company, tmp_path / "persistent", "malformed_json", count=1000
    )
    assert "malformed JSON on GET /api/v1/monitor" in message


def test_broken_pagination_fails_the_run(servers, company, tmp_path, monkeypatch):
    # small pages so there are follow-up pages to break (the company has < 1,000 monitors)
    monkeypatch.setattr(settings, "MONITOR_PAGE_SIZE", 10)
    monkeypatch.setattr(settings, "SLO_PAGE_SIZE", 10)
    message = fails_then_recovers(servers, company, tmp_path, "broken_pagination")
    assert "HTTP 500 on GET /api/v1/monitor" in message
    # the recovery walked every short-page-terminated page exactly once
    monitors = len([m for m in company.monitors if m.exists_on(TODAY.toordinal())])
    assert requests_by_endpoint(servers, "datadog")["GET /api/v1/monitor"] >= monitors // 10 + 1


def test_expired_token_fails_with_the_status_and_path(servers, company, tmp_path):
    message = fails_then_recovers(servers, company, tmp_path, "expired_token")
    assert "HTTP 403 on GET /api/v1/monitor" in message
    assert "api_key" in message  # says which setting to check
