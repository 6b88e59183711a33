"""The coverage source under each simulated artifact-store fault, and a store serving a
malformed report."""

from __future__ import annotations

from pathlib import Path

import pytest
from dlt.pipeline.exceptions import PipelineStepFailed
from pytest_httpserver import HTTPServer

from ingestion.coverage import coverage_source, settings
from simulator import SimulatorServers
from tests.ingestion.coverage.test_coverage_parse import COVERAGE_PY
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


def slugs(company) -> list[str]:
    return [f"{company.org}/{s.repo.name}" for s in company.services]


def expected_reports(company) -> int:
    from simulator.cobertura import line_totals

    day = TODAY.toordinal()
    return sum(
        1 for s in company.services if s.exists_on(day) and line_totals(company, s, day) is not None
    )


def run(servers: SimulatorServers, company, tmp_path: Path):
    source = coverage_source(
        base_url=servers.base_urls["artifacts"],
        token=servers.credentials["artifacts"]["bearer_token"],
        repositories=slugs(company),
        snapshot_on=TODAY,
    )
    return pipeline(tmp_path, "coverage").run(source)


def assert_loaded_once(db: Path, company) -> None:
    n = expected_reports(company)
    assert query(
        db, "select count(*), count(distinct repo_full_name) from raw_coverage.reports"
    ) == [(n, n)]
    assert query(db, "select count(*) from raw_coverage.snapshots") == [(1,)]


def total_requests(servers) -> int:
    return sum(requests_by_endpoint(servers, "artifacts").values())


def test_rate_limit_waits_for_retry_after(servers, company, tmp_path):
    servers.set_fault("artifacts", "rate_limit", count=2, reset_seconds=1)
    run(servers, company, tmp_path)
    assert_loaded_once(tmp_path / "warehouse.duckdb", company)
    assert total_requests(servers) == len(company.services) + 2


def test_server_error_burst_is_retried(servers, company, tmp_path):
    servers.set_fault("artifacts", "server_errors", count=3, status=502)
    run(servers, company, tmp_path)
    assert_loaded_once(tmp_path / "warehouse.duckdb", company)


def test_slow_responses_time_out_and_are_retried(servers, company, tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "TIMEOUT", 0.3)
    servers.set_fault("artifacts", "slow", seconds=0.6, count=2)
    run(servers, company, tmp_path)
    assert_loaded_once(tmp_path / "warehouse.duckdb", company)
    assert total_requests(servers) == len(company.services) + 2


def test_malformed_json_does_not_touch_xml_reports(servers, company, tmp_path):
    """The simulator cuts JSON bodies only; a cut XML report is covered below."""
    servers.set_fault("artifacts", "malformed_json", count=5)
    run(servers, company, tmp_path)
    assert_loaded_once(tmp_path / "warehouse.duckdb", company)


def test_a_malformed_report_over_http_is_an_error_row(httpserver: HTTPServer, tmp_path):
    httpserver.expect_request(
        "/acme/good/coverage.xml", headers={"Authorization": "Bearer t-1"}
    ).respond_with_data(COVERAGE_PY, content_type="application/xml")
    httpserver.expect_request("/acme/cut/coverage.xml").respond_with_data(
        COVERAGE_PY[:150], content_type="application/xml"
    )
    httpserver.expect_request("/acme/none/coverage.xml").respond_with_data("", status=404)
    source = coverage_source(
        base_url=httpserver.url_for("/"),
        token="t-1",
        repositories=["acme/good", "acme/cut", "acme/none"],
        snapshot_on=TODAY,
    )
    pipeline(tmp_path, "coverage").run(source)
    db = tmp_path / "warehouse.duckdb"
    assert query(db, "select repo_full_name, line_rate from raw_coverage.reports") == [
        ("acme/good", 0.9)
    ]
    errors = query(db, "select repo_full_name, message from raw_coverage.errors")
    assert len(errors) == 1 and errors[0][0] == "acme/cut"
    assert errors[0][1].startswith("not well-formed XML")


def test_broken_pagination_does_not_apply(servers, company, tmp_path):
    """One report per request, no pages: a server breaking follow-up pages changes nothing."""
    servers.set_fault("artifacts", "broken_pagination")
    run(servers, company, tmp_path)
    assert_loaded_once(tmp_path / "warehouse.duckdb", company)


def test_expired_token_fails_and_a_rerun_loads_once(servers, company, tmp_path):
    db = tmp_path / "warehouse.duckdb"
    servers.set_fault("artifacts", "expired_token")
    with pytest.raises(PipelineStepFailed) as failure:
        run(servers, company, tmp_path)
    message = str(failure.value)
    assert "source coverage: HTTP 401 on GET /acme/" in message
    assert "sources.coverage.token" in message
    assert servers.credentials["artifacts"]["bearer_token"] not in message
    assert not table_exists(db, "raw_coverage", "reports")
    servers.clear_faults("artifacts")
    run(servers, company, tmp_path)
    assert_loaded_once(db, company)
