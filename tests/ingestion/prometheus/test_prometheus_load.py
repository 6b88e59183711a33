"""The Prometheus source end to end: simulator → dlt → DuckDB → dbt staging."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingestion.prometheus import prometheus_source
from simulator import SimulatorServers
from simulator.model import Company
from tests.ingestion.datadog.source_support import (
    PAST_DAY,
    TODAY,
    columns,
    dbt_build,
    pipeline,
    query,
    requests_by_endpoint,
)

HISTORY_DAYS = 90


def expected_values(company: Company) -> dict[tuple[str, str, dt.date], float]:
    """What the simulated Prometheus holds: (query name, service, day) -> value."""
    events = company.events
    out = {}
    for slo in company.slos:
        if not slo.in_prometheus:
            continue
        service = company.services[slo.service].name
        for offset in range(HISTORY_DAYS):
            day = TODAY - dt.timedelta(days=offset)
            ordinal = day.toordinal()
            if events.slo_daily(slo, ordinal) is None:
                continue
            sli = events.slo_sli(slo, ordinal - 29, ordinal)
            out[("availability_30d", service, day)] = round(sli / 100.0, 9)
            out[("objective", service, day)] = round(slo.target / 100.0, 6)
    return out


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory, servers: SimulatorServers) -> dict:
    tmp = tmp_path_factory.mktemp("prometheus")
    db = tmp / "warehouse.duckdb"
    servers.reset_stats()
    source = prometheus_source(
        base_url=servers.base_urls["prometheus"],
        snapshot_on=TODAY,
        history=[(PAST_DAY, servers.base_urls_as_of(PAST_DAY)["prometheus"])],
    )
    pipeline(tmp, "prometheus", db).run(source)
    stats = requests_by_endpoint(servers, "prometheus")
    dbt_build(db, tmp, "staging.prometheus")
    return {"db": db, "stats": stats}


def test_staging_models_expose_the_contract(warehouse):
    db = warehouse["db"]
    assert columns(db, "staging", "stg_prometheus__snapshots") == [
        "snapshot_on",
        "load_id",
        "loaded_at",
    ]
    assert columns(db, "staging", "stg_prometheus__sli_daily") == [
        "query_name",
        "service",
        "day",
        "value",
    ]
    assert query(db, "select snapshot_on from staging.stg_prometheus__snapshots order by 1") == [
        (PAST_DAY,),
        (TODAY,),
    ]


def test_every_service_and_day_matches_the_company(warehouse, company):
    expected = expected_values(company)
    rows = query(
        warehouse["db"],
        "select query_name, service, day, value from staging.stg_prometheus__sli_daily",
    )
    got = {(q, s, d): v for q, s, d, v in rows}
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-9), key
    # today and a past day are both there, for every exported service
    services = {s for _, s, _ in expected}
    for day in (TODAY, PAST_DAY):
        assert {s for q, s, d in got if d == day and q == "availability_30d"} == services


def test_one_request_per_query_whatever_the_number_of_services(warehouse, company):
    assert warehouse["stats"] == {"GET /api/v1/query_range": 2}
    services = len({slo.service for slo in company.slos if slo.in_prometheus})
    assert services > 2  # naive: one instant query per service and query, per day


def test_custom_queries_and_rerun_without_duplicates(tmp_path: Path, servers, company):
    db = tmp_path / "warehouse.duckdb"
    queries = {
        "sli_1d": "slo:sli_availability:ratio_rate1d",
        "sli_min_7d": "min_over_time(slo:sli_availability:ratio_rate1d[7d])",
    }
    for _ in range(2):
        pipeline(tmp_path, "prometheus", db).run(
            prometheus_source(
                base_url=servers.base_urls["prometheus"],
                queries=queries,
                snapshot_on=TODAY,
                history_days=10,
            )
        )
    rows = query(
        db,
        "select query_name, count(*), count(distinct series || cast(day as varchar)), "
        "min(day) from raw_prometheus.sli_daily group by 1 order by 1",
    )
    services = len({slo.service for slo in company.slos if slo.in_prometheus})
    assert rows == [
        ("sli_1d", services * 10, services * 10, TODAY - dt.timedelta(days=9)),
        ("sli_min_7d", services * 10, services * 10, TODAY - dt.timedelta(days=9)),
    ]


def test_bearer_token_is_sent_when_configured(tmp_path: Path, company):
    with SimulatorServers(company, prometheus_token="prom-secret-1") as guarded:
        pipeline(tmp_path, "prometheus").run(
            prometheus_source(
                base_url=guarded.base_urls["prometheus"],
                bearer_token="prom-secret-1",
                snapshot_on=TODAY,
                history_days=3,
            )
        )
    rows = query(tmp_path / "warehouse.duckdb", "select count(*) from raw_prometheus.sli_daily")
    assert rows[0][0] > 0


def test_building_the_source_does_no_io(servers, monkeypatch):
    monkeypatch.delenv("SOURCES__PROMETHEUS__BEARER_TOKEN", raising=False)
    source = prometheus_source(base_url="http://unset", snapshot_on=TODAY)
    assert set(source.resources) == {"sli_daily", "snapshots"}
    assert servers.stats() == {}
