"""The Prometheus source under each simulated fault, and with a query Prometheus refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from dlt.pipeline.exceptions import PipelineStepFailed

from ingestion.prometheus import prometheus_source, settings
from simulator import SimulatorServers
from tests.ingestion.datadog.source_support import (
    TODAY,
    fast_retries,
    pipeline,
    query,
    requests_by_endpoint,
    table_exists,
)

HISTORY_DAYS = 5


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_retries(monkeypatch, settings)


def run(servers: SimulatorServers, tmp_path: Path, **kwargs):
    source = prometheus_source(
        base_url=servers.base_urls["prometheus"],
        snapshot_on=TODAY,
        history_days=HISTORY_DAYS,
        **kwargs,
    )
    return pipeline(tmp_path, "prometheus").run(source)


def assert_loaded_once(db: Path, company) -> None:
    services = len({slo.service for slo in company.slos if slo.in_prometheus})
    assert query(
        db,
        "select count(*), count(distinct query_name || series || cast(day as varchar)) "
        "from raw_prometheus.sli_daily",
    ) == [(2 * services * HISTORY_DAYS, 2 * services * HISTORY_DAYS)]
    assert query(db, "select count(*) from raw_prometheus.snapshots") == [(1,)]


def fails_then_recovers(servers, company, tmp_path: Path, kind: str, **params) -> str:
    db = tmp_path / "warehouse.duckdb"
    servers.set_fault("prometheus", kind, **params)
    with pytest.raises(PipelineStepFailed) as failure:
        run(servers, tmp_path)
    assert not table_exists(db, "raw_prometheus", "sli_daily")
    servers.clear_faults("prometheus")
    run(servers, tmp_path)
    assert_loaded_once(db, company)
    return str(failure.value)


def test_rate_limit_waits_for_retry_after(servers, company, tmp_path):
    servers.set_fault("prometheus", "rate_limit", count=2, reset_seconds=1)
    run(servers, tmp_path)
    assert_loaded_once(tmp_path / "warehouse.duckdb", company)
    assert requests_by_endpoint(servers, "prometheus") == {"GET /api/v1/query_range": 4}


def test_server_error_burst_is_retried(servers, company, tmp_path):
    servers.set_fault("prometheus", "server_errors", count=3, status=503)
    run(servers, tmp_path)
    assert_loaded_once(tmp_path / "warehouse.duckdb", company)


def test_slow_responses_time_out_and_are_retried(servers, company, tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "TIMEOUT", 0.3)
    servers.set_fault("prometheus", "slow", seconds=0.6, count=2)
    run(servers, tmp_path)
    assert_loaded_once(tmp_path / "warehouse.duckdb", company)
    assert requests_by_endpoint(servers, "prometheus") == {"GET /api/v1/query_range": 4}


def test_malformed_json_is_fetched_again_then_fails_if_it_persists(servers, company, tmp_path):
    servers.set_fault("prometheus", "malformed_json", count=1)
    run(servers, tmp_path / "transient")
    assert_loaded_once(tmp_path / "transient" / "warehouse.duckdb", company)

    message = fails_then_recovers(
        servers, company, tmp_path / "persistent", "malformed_json", count=1000
    )
    assert "source prometheus: query 'availability_30d'" in message
    assert "malformed JSON" in message


def test_broken_pagination_does_not_apply(servers, company, tmp_path):
    """query_range has no pages: a server breaking follow-up pages changes nothing."""
    servers.set_fault("prometheus", "broken_pagination")
    run(servers, tmp_path)
    assert_loaded_once(tmp_path / "warehouse.duckdb", company)
    assert requests_by_endpoint(servers, "prometheus") == {"GET /api/v1/query_range": 2}


def test_expired_token_fails_with_the_status_and_query(servers, company, tmp_path):
    message = fails_then_recovers(servers, company, tmp_path, "expired_token")
    assert "source prometheus: query 'availability_30d'" in message
    assert "HTTP 401 on GET /api/v1/query_range" in message
    assert "bearer_token" in message


def test_a_query_prometheus_refuses_is_named_in_the_error(servers, tmp_path):
    with pytest.raises(PipelineStepFailed) as failure:
        run(servers, tmp_path, queries={"burn": "sum by (service) (rate(errors[5m]))"})
    message = str(failure.value)
    assert "source prometheus: query 'burn' (sum by (service) (rate(errors[5m]))) failed" in message
    assert "HTTP 400" in message and "bad_data" in message
